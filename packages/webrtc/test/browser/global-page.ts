// The conformance page for monitorPeerConnections: the testkit's pc tap first (the shim's global
// tap stacks on top of it, as on top of any other library's), then the app's pc pair.
//
// The app negotiates with `setLocalDescription()` (no argument): the tap registers a pc at its
// first setLocalDescription or setRemoteDescription, and an app that awaits `createOffer()`
// first has already had its first `negotiationneeded` then (see the README's limits, and
// global-tap.test.ts for that shape, createOffer and createAnswer failures included).
import { exposeConformance } from '@shims/testkit/page';
import { pairDriver } from './pair-driver.ts';

exposeConformance(pairDriver('global', 'implicit'));
