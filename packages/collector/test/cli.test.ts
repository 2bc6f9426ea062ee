import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIO } from '../src/run-cli.js';
import { appJwtFor, authenticate, claimsOf } from './helpers.js';

function fakeIO(): CliIO & { output: string[]; errors: string[]; signals: Map<string, () => void> } {
  const output: string[] = [];
  const errors: string[] = [];
  const signals = new Map<string, () => void>();
  return { output, errors, signals, out: (t) => output.push(t), err: (t) => errors.push(t), onSignal: (s, h) => signals.set(s, h) };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

describe('shims-collector', () => {
  it('prints help', async () => {
    const io = fakeIO();
    expect((await runCli(['--help'], io)).exitCode).toBe(0);
    expect(io.output.join('')).toMatch(/--accept-any-token/);
  });

  it.each([[[]], [['--app', 'abc:secret']], [['--app', '123']], [['--port', 'eighty', '--accept-any-token']], [['--nonsense']]])(
    'exits 2 on bad arguments %j',
    async (argv) => {
      const io = fakeIO();
      const run = await runCli(argv, io);
      expect(run.exitCode, io.errors.join('')).toBe(argv[0] === '--port' ? 1 : 2);
      expect(io.errors.join('')).toMatch(/shims-collector: /);
      expect(run.collector).toBeUndefined();
    },
  );

  it('serves, prints the URLs and the setProxyConfig settings, and closes on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shims-cli-'));
    try {
      const io = fakeIO();
      const run = await runCli(['--port', '0', '--data-dir', dataDir, '--app', '123456789:s3cret', '--submission-interval', '4000'], io);
      stops.push(run.stop);
      const collector = run.collector!;
      const printed = io.output.join('');
      expect(printed).toContain(`listening on ${collector.url}`);
      expect(printed).toContain(`dashboard: ${collector.url}/\n`);
      expect(printed).toContain(join(dataDir, 'collector.sqlite'));
      expect(printed).toContain(`authServiceURL: '${collector.url}/auth/'`);
      expect(printed).toContain(`appSettingsURL: '${collector.url}/config/'`);
      expect(printed).toContain('window.csioproxy = true; window.module = { exports: {} };');
      expect(printed).toContain('collectLegacyStats: false');
      const res = await authenticate(collector, 'alice', appJwtFor('alice', 's3cret'));
      expect(res.status).toBe(200);
      expect([...io.signals.keys()].sort()).toEqual(['SIGINT', 'SIGTERM']);
      io.signals.get('SIGTERM')!();
      await run.stopped;
      expect(io.output.at(-1)).toMatch(/stopped/);
      await expect(fetch(`${collector.url}/collector/clockSync`)).rejects.toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('puts --collect-sdp and --ingested-events in the access token, with the SDP event callstats.js needs to send SDP', async () => {
    const io = fakeIO();
    const argv = ['--port', '0', '--memory', '--accept-any-token', '--collect-sdp', '--ingested-events', 'connectedDeviceList, applicationErrorLog'];
    const run = await runCli([...argv, '--ingested-events', 'userFeedback'], io);
    stops.push(run.stop);
    const res = await authenticate(run.collector!, 'alice', appJwtFor('alice'));
    const { access_token } = (await res.json()) as { access_token: string };
    expect(claimsOf(access_token)).toMatchObject({
      collectSDP: true,
      ingestedEvents: ['connectedDeviceList', 'applicationErrorLog', 'userFeedback', 'sdpSubmissionEvent'],
    });
    const bad = fakeIO();
    expect((await runCli(['--port', '0', '--memory', '--accept-any-token', '--ingested-events', 'no such event'], bad)).exitCode).toBe(1);
    expect(bad.errors.join('')).toMatch(/ingestedEvents must be an array of event names/);
  });

  it('accepts keyId:secret apps and keeps nothing on disk with --memory', async () => {
    const io = fakeIO();
    const run = await runCli(['--port', '0', '--memory', '--app', '123456789:a2V5LTE=:k-secret'], io);
    stops.push(run.stop);
    expect(io.output.join('')).toContain('memory (nothing kept)');
    const { makeAppJwt } = await import('./helpers.js');
    const code = makeAppJwt('k-secret', { userID: 'alice', appID: '123456789', keyId: Buffer.from('key-1').toString('hex') });
    expect((await authenticate(run.collector!, 'alice', code)).status).toBe(200);
  });
});
