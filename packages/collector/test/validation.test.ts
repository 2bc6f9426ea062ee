import { describe, expect, it } from 'vitest';
import { APP_ID, eventBody, join, postJson, startCollector } from './helpers.js';

describe('bad bodies', () => {
  it.each([
    ['malformed JSON', '{"timestamp": 1,', /malformed JSON/],
    ['an empty body', '', /empty body/],
    ['a JSON array', '[]', /expected object/],
    ['a string timestamp', JSON.stringify(eventBody({ timestamp: 'yesterday' })), /timestamp/],
    ['no eventType', JSON.stringify(eventBody({ eventType: undefined })), /eventType/],
    ['a numeric connectionID', JSON.stringify(eventBody({ connectionID: 7 })), /connectionID/],
    ['no connectionID on a fabric event', JSON.stringify(eventBody({ connectionID: undefined })), /connectionID/],
    ['a non-string newState', JSON.stringify(eventBody({ newState: { x: 1 } })), /newState/],
    ['a connectionID holding U+0000', JSON.stringify(eventBody({ connectionID: 'pc\u0000-1' })), /connectionID: must not contain U\+0000/],
  ])('refuses %s with 400, stores nothing, and keeps serving', async (_name, body, message) => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    const res = await postJson(`${alice.eventsURL}fabric/statechange`, body, alice.token);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ status: 'error', message: expect.stringMatching(message) });
    expect(await collector.storage.listEvents({ conferenceID: 'room' })).toHaveLength(1);
    expect(await collector.storage.listFabrics('room')).toEqual([]);
    const next = await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), alice.token);
    expect(next.status).toBe(200);
    expect(await collector.storage.listEvents({ conferenceID: 'room' })).toHaveLength(2);
  });

  it('refuses a path holding %00 (U+0000) with 400, stores nothing, and keeps serving', async () => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    const res = await postJson(`${alice.eventsURL.replace('/room/', '/ro%00om/')}fabric/statechange`, eventBody(), alice.token);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ status: 'error', message: 'the path holds a NUL character (%00)' });
    expect(await collector.storage.listFabrics('ro\u0000om')).toEqual([]);
    expect((await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), alice.token)).status).toBe(200);
  });

  it('refuses stats whose entries have no type or id', async () => {
    const collector = await startCollector();
    const alice = await join(collector, 'alice', 'room');
    const res = await postJson(`${alice.statsURL}stats`, eventBody({ eventType: 'stats', stats: [{ bytesSent: 1 }] }), alice.token);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/stats\.0\.type/);
    expect(await collector.storage.listSeries({ conferenceID: 'room', connectionID: 'pc-1' })).toEqual([]);
  });

  it('refuses a body over maxBodyBytes with 413, stores nothing, and keeps serving', async () => {
    const collector = await startCollector({ maxBodyBytes: 2048 });
    const alice = await join(collector, 'alice', 'room');
    const big = eventBody({ eventType: 'stats', stats: [{ type: 'codec', id: 'C1', sdpFmtpLine: 'x'.repeat(4096) }] });
    const res = await postJson(`${alice.statsURL}stats`, big, alice.token);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ status: 'error', message: 'body larger than 2048 bytes' });
    expect(res.headers.get('connection')).toBe('close');
    const generics = await postJson(`${collector.proxyConfig.collectorURL}generics`, { eventType: 'log', data: 'y'.repeat(4096) });
    expect(generics.status).toBe(413);
    const auth = await fetch(`${collector.url}/auth/authenticate`, { method: 'POST', body: `client_id=a%40${APP_ID}&code=${'c'.repeat(4096)}` });
    expect(auth.status).toBe(413);
    expect(await auth.json()).toEqual({
      'urn:x-callstats:auth:errorActions': [{ action: 2, params: { errorReason: 'body larger than 2048 bytes' } }],
    });
    expect(await collector.storage.listLogs()).toEqual([]);
    const next = await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), alice.token);
    expect(next.status).toBe(200);
  });

  it('stops reading a chunked body (no Content-Length) past the limit', async () => {
    const collector = await startCollector({ maxBodyBytes: 1024 });
    const alice = await join(collector, 'alice', 'room');
    const total = 32 * 1024; // 32 MiB in 1 KiB chunks, more than the socket buffers hold
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += 1;
        controller.enqueue(new TextEncoder().encode(sent === 1 ? '{"pad":"' : 'z'.repeat(1024)));
      },
    });
    const res = await fetch(`${alice.eventsURL}fabric/statechange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent, 'the collector stopped reading, so the upload stalled').toBeLessThan(total);
    expect(await collector.storage.listEvents({ conferenceID: 'room' })).toHaveLength(1);
    const next = await postJson(`${alice.eventsURL}fabric/statechange`, eventBody(), alice.token);
    expect(next.status).toBe(200);
  });

  it('refuses a malformed generics log and a malformed percent-encoding in the path', async () => {
    const collector = await startCollector();
    const res = await postJson(`${collector.proxyConfig.collectorURL}generics`, { data: 1 });
    expect(res.status).toBe(400);
    expect(await collector.storage.listLogs()).toEqual([]);
    const path = await fetch(`${collector.url}/api/conferences/%E0%A4%A`);
    expect(path.status).toBe(400);
  });
});
