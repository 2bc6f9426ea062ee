import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the real callstats.js sent to the stub, in order. */
export interface CallstatsRequest {
  method: string;
  path: string;
  body: unknown;
}

export const CALLSTATS_APP_ID = '123456789';

/**
 * The least a server must answer for the real callstats.js (3.73.16) to authenticate and send
 * its events (protocol as observed in shared/CALLSTATS.md): a token it accepts, clock sync, a
 * `ucID` for userJoined, and `{status:"success"}` for everything else. It records every request
 * so a test can see what the library sent. The full collector is @shims/collector.
 */
export function createCallstatsStub(prefix: string): {
  requests: CallstatsRequest[];
  handle(req: IncomingMessage, res: ServerResponse, body: string): boolean;
} {
  const requests: CallstatsRequest[] = [];
  const json = (res: ServerResponse, status: number, value: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  return {
    requests,
    handle(req, res, body) {
      const url = new URL(req.url ?? '/', 'http://stub');
      if (!url.pathname.startsWith(prefix)) return false;
      const path = url.pathname.slice(prefix.length);
      let parsed: unknown = body;
      try {
        parsed = body ? JSON.parse(body) : null;
      } catch {
        // form-encoded (authenticate): kept as text
      }
      requests.push({ method: req.method ?? 'GET', path, body: parsed });
      if (path === 'auth/authenticate') {
        const clientId = new URLSearchParams(body).get('client_id') ?? '';
        const userID = clientId.slice(0, clientId.lastIndexOf('@'));
        const expiry = new Date(Date.now() + 3_600_000).toISOString();
        const payload = Buffer.from(JSON.stringify({ appID: Number(CALLSTATS_APP_ID), userID, expiry })).toString('base64');
        json(res, 200, { access_token: `e30.${payload}.stub`, token_type: 'bearer', expires_in: 3600 });
      } else if (path === 'collector/clockSync') {
        json(res, 200, { now: Date.now() });
      } else if (path.startsWith('config/')) {
        json(res, 200, {});
      } else if (/^events\/\d+\/conferences\/[^/]+$/.test(path)) {
        json(res, 200, { status: 'success', ucID: `uc-${decodeURIComponent(path.split('/')[3] ?? '')}` });
      } else {
        json(res, 200, { status: 'success' });
      }
      return true;
    },
  };
}

/** The inline script that loads and initializes the real library against the stub. */
export function callstatsBootstrap(base: string): string {
  return `
<script>window.csioproxy = true; window.module = { exports: {} };</script>
<script src="/callstats.min.js"></script>
<script>
  // The global \`module\` was only for callstats.min.js's bare \`module.exports\`: left in place it
  // makes UMD bundles loaded later (janus.js) export to it instead of to their importer.
  delete window.module;
  (function () {
    var cs = new window.callstats();
    var base = ${JSON.stringify(base)};
    cs.setProxyConfig({ authServiceURL: base + 'auth/', collectorURL: base + 'collector/',
      restEventURL: base + 'events/', restStatsURL: base + 'stats/', appSettingsURL: base + 'config/' });
    window.__shimsCallstatsLog = [];
    var status = cs.initialize(${JSON.stringify(CALLSTATS_APP_ID)}, function (forceNew, cb) { cb(null, 'stub-token'); },
      'conformance-user', function (status, message) { window.__shimsCallstatsInit = { status: status, message: message }; },
      null, { disablePrecalltest: true, collectIP: false, collectHeadsetStats: false, collectLegacyStats: false,
        callbackLogger: function (l) { window.__shimsCallstatsLog.push(l); } });
    window.__shimsCallstatsInitStatus = status;
    window.__shimsRealCallstats = cs;
  })();
</script>`;
}
