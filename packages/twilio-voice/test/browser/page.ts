import { exposeConformance } from '@shims/testkit/page';
import * as VoiceSdk from '@twilio/voice-sdk-2.18';
import { voiceDriver } from './voice-driver.ts';

exposeConformance(voiceDriver(VoiceSdk, '2.18.5'));
