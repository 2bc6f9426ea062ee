import { describe, expect, it } from 'vitest';
import { verifiedStatusOf, type VitestJsonReport } from '../src/results.ts';

type Test = [ancestors: string[], title: string, status: string];
const report = (tests: Test[]): VitestJsonReport => ({
  startTime: Date.UTC(2026, 10, 24, 12, 0),
  testResults: [{ name: 'x.test.ts', assertionResults: tests.map(([ancestorTitles, title, status]) => ({ ancestorTitles, title, status })) }],
});
const REAL = 'with the real callstats-js';
const RECORDING = 'with RecordingCallstats';

describe('the verified status read from a vitest JSON report', () => {
  it('no report: not verified', () => {
    expect(verifiedStatusOf(undefined)).toMatchObject({
      state: 'not-verified',
      summary: 'not verified: its test suite has not run here',
      suites: [],
    });
  });

  it('every conformance case passed: verified, with the SDK version of each suite and the real callstats-js', () => {
    const status = verifiedStatusOf(
      report([
        [['conformance: peerjs 1.4.7 against a real PeerServer', RECORDING], 'adds every pc', 'passed'],
        [['conformance: peerjs 1.4.7 against a real PeerServer', REAL], 'adds every pc', 'passed'],
        [['conformance: peerjs 1.5.5 against a real PeerServer', RECORDING], 'adds every pc', 'passed'],
        [['peerjs scenarios'], 'something else', 'failed'],
      ]),
    );
    expect(status).toMatchObject({
      state: 'verified',
      summary: 'verified: 3 of 3 conformance cases passed',
      passed: 3,
      failed: 0,
      realCallstats: true,
      runAt: '2026-11-24T12:00:00.000Z',
    });
    expect(status.verifiedVersions).toEqual(['1.4.7', '1.5.5']);
    expect(status.suites.map((s) => [s.sdkVersion, s.realCallstats])).toEqual([
      ['1.4.7', true],
      ['1.5.5', false],
    ]);
  });

  it("a failed conformance case: failing; its suite's version is not verified", () => {
    const status = verifiedStatusOf(
      report([
        [['conformance: jssip 3.13.8, two UAs', RECORDING], 'a', 'passed'],
        [['conformance: jssip 3.13.8, two UAs', RECORDING], 'b', 'failed'],
      ]),
    );
    expect(status).toMatchObject({
      state: 'failing',
      summary: 'failing: 1 of 2 conformance cases failed',
      verifiedVersions: [],
      realCallstats: false,
    });
  });

  it("reads the RTCP receiver-report case: yes, no with the server's reason, or nothing when it did not pass", () => {
    const COLLECTOR = 'the real callstats-js into @shims/collector';
    const rtcp = (title: string, status = 'passed') =>
      verifiedStatusOf(report([[['conformance: acme 1.0.0', COLLECTOR], title, status]])).receiverReports;
    expect(rtcp('RTCP receiver reports: yes, for every stream the call sends (checked with checkReceiverReports)')).toBe('yes');
    expect(rtcp('RTCP receiver reports: no (the SFU forwards RTP as it is); checkReceiverReports says missing')).toBe(
      'no (the SFU forwards RTP as it is)',
    );
    expect(rtcp('RTCP receiver reports: yes, for every stream the call sends', 'failed')).toBeUndefined();
    expect(rtcp('adds every pc')).toBeUndefined();
  });

  it('counts the cases per browser engine from the `in <engine>` block; suites without one ran in Chromium', () => {
    const status = verifiedStatusOf(
      report([
        [['conformance: acme 2.0.0', 'in Chromium', RECORDING], 'a', 'passed'],
        [['conformance: acme 2.0.0', 'in Chromium', REAL], 'a', 'passed'],
        [['conformance: acme 2.0.0', 'in Firefox', RECORDING], 'a', 'passed'],
        [['conformance: acme 2.0.0', 'in Firefox', REAL], 'a', 'failed'],
        [['conformance: acme 1.0.0 at the floor', RECORDING], 'a', 'passed'],
      ]),
    );
    expect(status.engines).toEqual([
      { engine: 'Chromium', passed: 3, total: 3 },
      { engine: 'Firefox', passed: 1, total: 2 },
    ]);
    expect(status).toMatchObject({ state: 'failing', realCallstats: true });
  });

  it('only the recording client passed: verified, without the real callstats-js', () => {
    expect(verifiedStatusOf(report([[['conformance: sip.js 0.21.2', RECORDING], 'a', 'passed']]))).toMatchObject({
      state: 'verified',
      realCallstats: false,
    });
  });

  it('a pending (todo) conformance test, as the scaffold writes: not verified, with its reason', () => {
    const status = verifiedStatusOf(report([[[], 'conformance: acme — pending: write the driver', 'todo']]));
    expect(status).toMatchObject({ state: 'not-verified', summary: 'not verified: conformance: acme — pending: write the driver' });
  });

  it('some cases skipped: not verified; no conformance suite in the run: not verified', () => {
    expect(
      verifiedStatusOf(
        report([
          [['conformance: x 1.0.0', RECORDING], 'a', 'passed'],
          [['conformance: x 1.0.0', RECORDING], 'b', 'skipped'],
        ]),
      ),
    ).toMatchObject({ state: 'not-verified', summary: 'not verified: 1 of 2 conformance cases did not run' });
    expect(verifiedStatusOf(report([[['unit'], 'a', 'passed']]))).toMatchObject({
      state: 'not-verified',
      summary: 'not verified: the last test run had no conformance suite',
    });
  });

  it('a conformance test file that failed to load: failing', () => {
    const status = verifiedStatusOf({
      testResults: [{ name: '/w/packages/acme/test/browser/conformance.test.ts', status: 'failed', message: 'SyntaxError', assertionResults: [] }],
    });
    expect(status).toMatchObject({ state: 'failing', summary: 'failing: test/browser/conformance.test.ts did not load' });
  });
});
