import { exposeConformance } from '@shims/testkit/page';
import * as LivekitClient from 'livekit-client-2.23';
import { livekitDriver } from './livekit-driver.ts';

exposeConformance(livekitDriver(LivekitClient, '2.23.0', 'single pc'));
