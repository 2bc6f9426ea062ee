import { exposeConformance } from '@shims/testkit/page';
import { twilioDriver } from './twilio-driver.ts';

exposeConformance(twilioDriver);
