import { Peer } from 'peerjs-1.4';
import { installScenarios } from './peerjs-scenarios.ts';

installScenarios(Peer);
