import type { BenchResults } from './bench.ts';
import { sizeRowFails } from './sizes.ts';

/**
 * The bench's assertions: sizes within budget (or, for a shim known to be over it, within its
 * recorded ceiling: over-budget.ts), nothing retained, the callstats checks clean,
 * one source call per poll. Timings are never asserted (shared, noisy machines); they are reported.
 */
export function failedChecks(results: BenchResults): string[] {
  const failures: string[] = results.errors.map((e) => `${e.benchmark}: did not run (${e.message.split('\n')[0]})`);
  for (const row of results.sizes ?? []) {
    if (sizeRowFails(row)) {
      failures.push(`size: ${row.package} is ${row.gzip} B min+gzip, budget ${row.budget} B${row.note ? ` (${row.note})` : ''}`);
    }
  }
  for (const leak of results.leaks ?? []) {
    const { peerConnections, listeners, timers } = leak.retained;
    if (peerConnections > 0) failures.push(`leaks: ${leak.scenario}: ${peerConnections} RTCPeerConnection(s) still held after the loop`);
    if (listeners > 0) failures.push(`leaks: ${leak.scenario}: ${listeners} listener(s) left behind`);
    if (timers > 0) failures.push(`leaks: ${leak.scenario}: ${timers} timer(s) left running`);
    for (const loop of [leak.bare, leak.shim]) {
      if (loop.tally.violations.length > 0)
        failures.push(`leaks: ${leak.scenario}: callstats contract violations: ${loop.tally.violations.slice(0, 3).join('; ')}`);
      if (loop.errors.length > 0) failures.push(`leaks: ${leak.scenario}: SDK errors: ${loop.errors.slice(0, 3).join('; ')}`);
    }
    // Every pc of every cycle reached callstats and ended there exactly once.
    const { fabricsAdded, fabricsTerminated } = leak.shim.tally;
    if (fabricsAdded === 0 || fabricsAdded !== fabricsTerminated) {
      failures.push(`leaks: ${leak.scenario}: ${fabricsAdded} fabrics added, ${fabricsTerminated} terminated`);
    }
  }
  const overhead = results.overhead;
  if (overhead) {
    if (overhead.registration.eventsBeforeRegistration > 0) {
      failures.push(`registration: ${overhead.registration.eventsBeforeRegistration} event(s) fired before the shim added the pc`);
    }
    if (overhead.registration.eventsAfterRegistration === 0) failures.push('registration: no event seen at all (the check saw nothing)');
    if (overhead.violations.length > 0) failures.push(`overhead: callstats contract violations: ${overhead.violations.slice(0, 3).join('; ')}`);
  }
  const tap = results.tapCost;
  if (tap) {
    // Every pc the tap saw negotiate reached callstats once, and dispose() gave the page its constructor back.
    if (tap.shims.fabricsAdded !== tap.pcs) failures.push(`global tap: ${tap.shims.fabricsAdded} fabrics for ${tap.pcs} pcs`);
    if (!tap.shims.restoredEveryTime) failures.push('global tap: dispose() did not put the page its RTCPeerConnection back');
    if (tap.rtcstats.traced === 0) failures.push('global tap: rtcstats traced nothing (its cost would be measured on bare pcs)');
  }
  const polling = results.fakePcPolling;
  if (polling) {
    if (polling.clientPolls === 0) failures.push('fake-pc polling: callstats.js never polled the fake pc');
    else if (polling.sourceCalls !== polling.clientPolls) {
      failures.push(`fake-pc polling: ${polling.sourceCalls} source calls for ${polling.clientPolls} polls (want exactly one each)`);
    }
    if (polling.idleSourceCalls > 0) failures.push(`fake-pc polling: ${polling.idleSourceCalls} source call(s) with nobody asking`);
    if (polling.sourceCallsAfterTerminate > 0)
      failures.push(`fake-pc polling: ${polling.sourceCallsAfterTerminate} source call(s) after fabricTerminated`);
    if (polling.violations.length > 0) failures.push(`fake-pc polling: callstats contract violations: ${polling.violations.join('; ')}`);
  }
  for (const load of results.collector ?? []) {
    // Counts only: every acknowledged batch is in the database after kill -9, and the run did send.
    const name = `collector load (${load.storage ?? 'sqlite'})`;
    if (load.acknowledged === 0) failures.push(`${name}: no batch was acknowledged`);
    if (load.lostAcknowledged > 0) failures.push(`${name}: ${load.lostAcknowledged} acknowledged batch(es) missing after kill -9`);
    if (load.sent !== load.acknowledged + load.shed + load.failed + load.unsent + Object.values(load.otherStatus).reduce((a, b) => a + b, 0))
      failures.push(`${name}: ${load.sent} sent but answers do not add up`);
  }
  return failures;
}
