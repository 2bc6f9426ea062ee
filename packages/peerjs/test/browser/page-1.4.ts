import { exposeConformance } from '@shims/testkit/page';
import { Peer } from 'peerjs-1.4';
import { peerJsDriver } from './peerjs-driver.ts';

exposeConformance(peerJsDriver(Peer, '1.4.7'));
