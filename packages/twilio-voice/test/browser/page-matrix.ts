import { exposeConformance } from '@shims/testkit/page';
import * as Voice210 from '@twilio/voice-sdk-2.10';
import * as Voice218 from '@twilio/voice-sdk-2.18';
import type { Sdk } from './voice-app.ts';
import { voiceDriver } from './voice-driver.ts';

exposeConformance(voiceDriver(Voice218, '2.18.5', 'incoming'), 'incoming');
exposeConformance(voiceDriver(Voice210 as unknown as Sdk, '2.10.2'), '2.10');
