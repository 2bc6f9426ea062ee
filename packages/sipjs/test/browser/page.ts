import { exposeConformance } from '@shims/testkit/page';
import { sipJsDriver } from './sipjs-driver.ts';

exposeConformance(sipJsDriver());
