// The conformance page: the testkit's pc tap first, then a simple-peer call with the shim.
import { exposeConformance } from '@shims/testkit/page';
import { simplePeerDriver } from './simple-peer-driver.ts';

// The caller's pc is registered by the wrtc hook, the callee's by late attachment: every case
// runs both ways of attaching. The callee only receives audio, which the app tells the shim.
exposeConformance(simplePeerDriver({ caller: 'options', callee: 'instance', media: true, calleeUsage: 'audio' }));
