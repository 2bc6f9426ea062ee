import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTEGRATIONS_CSP } from '../src/routes/integrations.js';
import { runCli } from '../src/run-cli.js';
import { startCollector } from './helpers.js';

const get = (url: string, init?: RequestInit): Promise<Response> => fetch(url, { redirect: 'manual', ...init });

describe('the integrations page under /integrations/', () => {
  let base: string;
  let dir: string;
  const INDEX = '<!doctype html><title>Integrations</title><link rel="stylesheet" href="integrations.css"><img src="logos/peerjs.svg">';

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'collector-integrations-'));
    dir = join(base, 'dist');
    mkdirSync(join(dir, 'logos'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'integrations.css'), 'body{margin:0}');
    writeFileSync(join(dir, 'logos', 'peerjs.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
    writeFileSync(join(base, 'secret.html'), 'outside the folder');
    symlinkSync(join(base, 'secret.html'), join(dir, 'link.html'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves the page and its files with their content types, read-only, with a CSP', async () => {
    const collector = await startCollector({ integrationsDir: dir });
    const index = await get(`${collector.url}/integrations/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(INTEGRATIONS_CSP);
    expect(await index.text()).toBe(INDEX);
    for (const [path, type] of [
      ['integrations.css', 'text/css; charset=utf-8'],
      ['logos/peerjs.svg', 'image/svg+xml'],
      ['index.html', 'text/html; charset=utf-8'],
    ]) {
      const res = await get(`${collector.url}/integrations/${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
    }
    expect((await get(`${collector.url}/integrations/`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('redirects /integrations to /integrations/, where the relative links resolve', async () => {
    const collector = await startCollector({ integrationsDir: dir });
    const res = await get(`${collector.url}/integrations`);
    expect(res.status).toBe(308);
    expect(new URL(res.headers.get('location')!, collector.url).href).toBe(`${collector.url}/integrations/`);
  });

  it('serves nothing outside the folder, no folder, no unknown file type', async () => {
    const collector = await startCollector({ integrationsDir: dir });
    for (const path of [
      '/integrations/%2e%2e/secret.html',
      '/integrations/..%2fsecret.html',
      '/integrations/link.html',
      '/integrations/logos',
      '/integrations/nope.html',
      '/integrations/logos/%2e%2e%2f%2e%2e%2fsecret.html',
    ]) {
      const res = await get(`${collector.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('outside the folder');
    }
  });

  it('answers 404 with the way to serve it when no folder was given', async () => {
    const collector = await startCollector();
    const res = await get(`${collector.url}/integrations/`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 'error', message: expect.stringContaining('--integrations <dir>') });
  });

  it('shims-collector --integrations <dir> serves it and prints where', async () => {
    const output: string[] = [];
    const run = await runCli(['--port', '0', '--memory', '--accept-any-token', '--integrations', dir], {
      out: (t) => output.push(t),
      err: (t) => output.push(t),
      onSignal: () => {},
    });
    try {
      const url = run.collector!.url;
      expect(output.join('')).toContain(`integrations: ${url}/integrations/\n`);
      expect(await (await get(`${url}/integrations/`)).text()).toBe(INDEX);
    } finally {
      await run.stop();
    }
  });
});
