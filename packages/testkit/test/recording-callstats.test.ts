import { describe, expect, it } from 'vitest';
import { RecordingCallstats } from '../src/recording-callstats.ts';

const pc = () => ({ createOffer: async () => ({}) }) as never;

describe('RecordingCallstats', () => {
  it('records accepted calls in order with increasing sequence numbers', () => {
    const cs = new RecordingCallstats();
    const a = pc();
    expect(cs.addNewFabric(a, 'bob', 'multiplex', 'conf')).toEqual({ status: 'success' });
    expect(cs.sendFabricEvent(a, 'audioMute', 'conf')).toEqual({ status: 'success' });
    expect(cs.reportError(null, 'conf', 'getUserMedia', new Error('denied'))).toEqual({ status: 'success' });
    expect(cs.calls.map((c) => c.method)).toEqual(['addNewFabric', 'sendFabricEvent', 'reportError']);
    expect(cs.calls[0]!.seq).toBeLessThan(cs.calls[1]!.seq);
    expect(cs.violations).toEqual([]);
  });

  it.each([
    [
      'an unknown fabric usage',
      (cs: RecordingCallstats) => cs.addNewFabric(pc(), 'bob', 'audiovideo' as never, 'conf'),
      'addNewFabric: Invalid fabricUsage value audiovideo',
    ],
    ['a missing conference ID', (cs: RecordingCallstats) => cs.addNewFabric(pc(), 'bob', 'audio', ''), 'addNewFabric: Argument missing/invalid'],
    [
      'an object that is no pc',
      (cs: RecordingCallstats) => cs.addNewFabric({} as never, 'bob', 'audio', 'conf'),
      'addNewFabric: Invalid PeerConnection object passed',
    ],
    [
      'a bad endpoint type',
      (cs: RecordingCallstats) => cs.addNewFabric(pc(), 'bob', 'audio', 'conf', { remoteEndpointType: 'sfu' as never }),
      'addNewFabric: Invalid EndPoint Type sfu',
    ],
    [
      'an event for a pc never added',
      (cs: RecordingCallstats) => cs.sendFabricEvent(pc(), 'audioMute', 'conf'),
      'sendFabricEvent : Invalid PeerConnection object passed',
    ],
    [
      'an unknown event',
      (cs: RecordingCallstats) => cs.sendFabricEvent(pc(), 'mute' as never, 'conf'),
      'sendFabricEvent: Invalid fabricEvents value mute',
    ],
    [
      'fabricSetupFailed as an event',
      (cs: RecordingCallstats) => cs.sendFabricEvent(pc(), 'fabricSetupFailed', 'conf'),
      'sendFabricEvent: Unsupported fabricEvent fabricSetupFailed',
    ],
    [
      'an unknown function',
      (cs: RecordingCallstats) => cs.reportError(null, 'conf', 'getDisplayMedia' as never, new Error()),
      'reportError: Invalid webRTC functionName value getDisplayMedia',
    ],
    [
      'an error for a pc never added',
      (cs: RecordingCallstats) => cs.reportError(pc(), 'conf', 'createOffer', new Error()),
      'reportError: pc was never added to this conference; callstats.js would drop the report',
    ],
    [
      'a zero ssrc',
      (cs: RecordingCallstats) => cs.associateMstWithUserID(pc(), 'bob', 'conf', '', 'mic'),
      'associateMstWithUserID: Argument missing/invalid',
    ],
  ])('refuses %s with a failure status and a violation', (_, call, message) => {
    const cs = new RecordingCallstats();
    expect(call(cs)).toEqual({ status: 'failure', message });
    expect(cs.violations).toContain(message);
  });

  it('records what callstats.js accepts but a shim must not do', () => {
    const cs = new RecordingCallstats();
    const a = pc();
    cs.addNewFabric(a, 'bob', 'audio', 'conf');
    cs.addNewFabric(a, 'bob', 'audio', 'conf');
    cs.sendFabricEvent(a, 'fabricTerminated', 'conf');
    cs.sendFabricEvent(a, 'fabricTerminated', 'conf');
    cs.reportError(a, 'conf', 'createOffer', new Error('late'));
    expect(cs.violations).toEqual([
      'addNewFabric: the same pc was added twice (callstats.js ignores the second)',
      'sendFabricEvent: fabricTerminated after fabricTerminated',
      'reportError: createOffer after fabricTerminated',
    ]);
  });

  it('forwards to a delegate and returns its status', () => {
    const seen: string[] = [];
    const delegate = {
      addNewFabric: () => (seen.push('add'), { status: 'failure' as const, message: 'real says no' }),
      reportError: () => ({ status: 'success' as const }),
      sendFabricEvent: () => ({ status: 'success' as const }),
      associateMstWithUserID: () => ({ status: 'success' as const }),
    };
    const cs = new RecordingCallstats({ delegate });
    expect(cs.addNewFabric(pc(), 'bob', 'audio', 'conf')).toEqual({ status: 'failure', message: 'real says no' });
    expect(seen).toEqual(['add']);
    expect(cs.calls[0]!.status).toEqual({ status: 'failure', message: 'real says no' });
  });
});
