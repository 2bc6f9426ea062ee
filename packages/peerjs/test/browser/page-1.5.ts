import { exposeConformance } from '@shims/testkit/page';
import { Peer } from 'peerjs-1.5';
import { peerJsDriver } from './peerjs-driver.ts';

exposeConformance(peerJsDriver(Peer, '1.5.5'));
