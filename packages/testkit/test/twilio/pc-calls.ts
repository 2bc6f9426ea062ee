// Imported before twilio-video: records which RTCPeerConnection functions the SDK calls, in
// order, and on which pc, so the test can tell the SDK's real sequence (and read its pc's stats).
const FUNCTIONS = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate'] as const;

export interface PcCall {
  pc: number;
  fn: string;
  /** The description's type for set*Description; 'failed' appended when the call rejected. */
  detail?: string;
}

export const pcCalls: PcCall[] = [];
export const callingPcs: RTCPeerConnection[] = [];

const proto = RTCPeerConnection.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
for (const fn of FUNCTIONS) {
  const original = proto[fn]!;
  proto[fn] = function (this: RTCPeerConnection, ...args: unknown[]) {
    if (!callingPcs.includes(this)) callingPcs.push(this);
    const call: PcCall = { pc: callingPcs.indexOf(this), fn };
    const description = args[0] as { type?: string } | undefined;
    if (fn.endsWith('Description') && description?.type) call.detail = description.type;
    pcCalls.push(call);
    const result = original.apply(this, args);
    result.catch?.(() => (call.detail = `${call.detail ?? ''} failed`));
    return result;
  };
}
