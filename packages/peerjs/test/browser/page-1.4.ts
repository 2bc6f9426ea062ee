import { exposeConformance } from '@shims/testkit/page';
import { Peer } from 'peerjs-1.4';
import { peerJsDriver, type PeerConstructor } from './peerjs-driver.ts';

exposeConformance(peerJsDriver(Peer as unknown as PeerConstructor, '1.4.7'));
