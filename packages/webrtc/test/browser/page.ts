// The conformance page for monitorPeerConnection: the testkit's pc tap first, then the app's pc pair.
import { exposeConformance } from '@shims/testkit/page';
import { pairDriver } from './pair-driver.ts';

exposeConformance(pairDriver('pc', 'explicit'));
