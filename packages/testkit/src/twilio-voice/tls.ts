import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away certificate for 127.0.0.1, and what Chromium needs to trust only it. */
export interface LocalCertificate {
  readonly cert: string;
  readonly key: string;
  /** base64 SHA-256 of the certificate's public key, for `--ignore-certificate-errors-spki-list`. */
  readonly spki: string;
}

/** Debian's `openssl`, or the one `OPENSSL` names. */
const OPENSSL = process.env.OPENSSL ?? 'openssl';

/**
 * The Voice SDK builds its signaling URL as `wss://<chunderw>/signal` (`regions.ts`
 * `createSignalingEndpointURL`): there is no plain `ws:` path, so the local server speaks TLS with
 * a self-signed certificate made here by Debian's `openssl`, valid for a day.
 */
export function createLocalCertificate(): LocalCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'shims-voice-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    execFileSync(
      OPENSSL,
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat([
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ]),
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certFile, 'utf8');
    const der = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    return { cert, key: readFileSync(keyFile, 'utf8'), spki: createHash('sha256').update(der).digest('base64') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What makes the harness's Chromium trust exactly this certificate's key
 * (`--ignore-certificate-errors-spki-list`): every other certificate is checked as usual.
 */
export function chromiumTrustArgs(certificate: LocalCertificate): string[] {
  return [`--ignore-certificate-errors-spki-list=${certificate.spki}`];
}
