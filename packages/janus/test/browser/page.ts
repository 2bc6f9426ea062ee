import { exposeConformance } from '@shims/testkit/page';
import { janusDriver } from './janus-driver.ts';

exposeConformance(janusDriver);
