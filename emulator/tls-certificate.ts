import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** A name no resolver knows: only a proxy that maps it to 127.0.0.1 reaches an emulator by it (the proxy tests). */
export const PROXIED_HOSTNAME = 'emulator.test';

export interface TlsCertificate {
  key: string;
  cert: string;
  /** PEM file holding `cert`, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** Removes the temporary directory holding `caFile`. */
  remove(): Promise<void>;
}

/**
 * A fresh self-signed certificate for 127.0.0.1 and localhost. TLS is not optional here: msal and the
 * Azure SDK pipeline refuse to send credentials or bearer tokens over plain http.
 */
export async function createTlsCertificate(): Promise<TlsCertificate> {
  const now = new Date();
  // A name of its own: TLS finds a trusted certificate by subject name, so two emulators trusted by one client
  // (a hostile test's "elsewhere") must not share one.
  const pems = await generate([{ name: 'commonName', value: `Foundry keyless check emulator ${randomUUID()}` }], {
    keySize: 2048,
    algorithm: 'sha256',
    // Backdated a little so a client clock slightly behind ours still accepts it.
    notBeforeDate: new Date(now.getTime() - 60 * 60 * 1000),
    notAfterDate: new Date(now.getTime() + 30 * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }, { type: 2, value: PROXIED_HOSTNAME }] },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'foundry-emulator-'));
  const caFile = join(dir, 'emulator-ca.pem');
  await writeFile(caFile, pems.cert, { mode: 0o644 });
  return {
    key: pems.private,
    cert: pems.cert,
    caFile,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
