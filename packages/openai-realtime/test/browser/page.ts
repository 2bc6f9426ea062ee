import { exposeConformance, pageConfig } from '@shims/testkit/page';
import { openaiRealtimeDriver } from './openai-realtime-driver.ts';

exposeConformance(openaiRealtimeDriver(() => String(pageConfig().baseUrl)));
