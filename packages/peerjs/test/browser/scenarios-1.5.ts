import { Peer } from 'peerjs-1.5';
import { installScenarios } from './peerjs-scenarios.ts';

installScenarios(Peer);
