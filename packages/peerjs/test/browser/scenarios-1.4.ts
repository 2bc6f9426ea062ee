import { Peer } from 'peerjs-1.4';
import type { PeerConstructor } from './peerjs-driver.ts';
import { installScenarios } from './peerjs-scenarios.ts';

installScenarios(Peer as unknown as PeerConstructor);
