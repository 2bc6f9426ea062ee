import { exposeConformance } from '@shims/testkit/page';
import { jsSipDriver } from './jssip-driver.ts';

exposeConformance(jsSipDriver());
