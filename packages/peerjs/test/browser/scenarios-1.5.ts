import { Peer } from 'peerjs-1.5';
import type { PeerConstructor } from './peerjs-driver.ts';
import { installScenarios } from './peerjs-scenarios.ts';

installScenarios(Peer as unknown as PeerConstructor);
