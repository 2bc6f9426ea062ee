import { exposeConformance } from '@shims/testkit/page';
import * as LivekitClient from 'livekit-client-2.17';
import { livekitDriver } from './livekit-driver.ts';
import type { LivekitSdk } from './livekit-app.ts';

exposeConformance(livekitDriver(LivekitClient as unknown as LivekitSdk, '2.17.0', 'single pc, no offer in the join request'));
