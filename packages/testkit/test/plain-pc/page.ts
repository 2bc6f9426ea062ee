import { exposeConformance } from '@shims/testkit/page';
import { attachWithCore, plainPairDriver } from './plain-driver.ts';

exposeConformance(plainPairDriver(attachWithCore));
