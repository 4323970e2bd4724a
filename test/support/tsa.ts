// A real RFC 3161 time-stamping authority on loopback: `openssl ts -reply` behind a small HTTP handler, with its
// own test CA and a TSA certificate carrying the critical timeStamping EKU. Modes make it misbehave on purpose.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { issue, makeCa, type TestCa } from './pki.js';

const run = promisify(execFile);

/**
 * ok: a proper reply; the rest: an HTTP error, bytes that are not a reply, a refusal, a token for other data,
 * an endless reply, and a connection reset on the first request only (then ok).
 */
export type TsaMode = 'ok' | 'http-500' | 'not-der' | 'rejection' | 'foreign-imprint' | 'endless' | 'reset-once';

export interface TestTsa {
  url: string;
  /** The TSA's CA: what --tsa-trust / signing.tsa.caFile name. */
  ca: TestCa;
  /** The TSA's own certificate and key. */
  certPath: string;
  keyPath: string;
  /** openssl ts config (section tsa) for making tokens by hand. */
  configPath: string;
  mode: TsaMode;
  /** Requests answered so far. */
  requests: number;
  /** The Authorization header of the last request. */
  lastAuthorization?: string;
  stop(): Promise<void>;
}

export interface TsaOptions {
  /** Reuse a CA (default: a new "Test TSA Root CA"). */
  ca?: TestCa;
  /** TSA certificate validity (openssl ca dates); default 2020–2040. An expired one: endDate in the past. */
  startDate?: string;
  endDate?: string;
  commonName?: string;
}

/** Writes the TSA's PKI and openssl config into `dir` and serves it on a free loopback port. */
export async function startTsa(dir: string, opts: TsaOptions = {}): Promise<TestTsa> {
  mkdirSync(dir, { recursive: true });
  const ca = opts.ca ?? makeCa(join(dir, 'ca'), 'Test TSA Root CA');
  const { certPath, keyPath } = issue(ca, {
    name: `tsa-${Math.random().toString(16).slice(2, 8)}`,
    commonName: opts.commonName ?? 'Test TSA',
    extensions: ['basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature', 'extendedKeyUsage = critical,timeStamping', 'subjectKeyIdentifier = hash'],
    startDate: opts.startDate,
    endDate: opts.endDate,
  });
  writeFileSync(join(dir, 'serial'), '01\n');
  const configPath = join(dir, 'tsa.cnf');
  writeFileSync(
    configPath,
    [
      '[tsa]',
      'default_tsa = tsa_config',
      '[tsa_config]',
      `serial = ${join(dir, 'serial')}`,
      `signer_cert = ${certPath}`,
      `signer_key = ${keyPath}`,
      'signer_digest = sha256',
      'default_policy = 1.3.6.1.4.1.99999.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = yes',
      'tsa_name = yes',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );

  let n = 0;
  const reply = async (query: Buffer): Promise<Buffer> => {
    const id = ++n;
    const q = join(dir, `q${id}.tsq`);
    const r = join(dir, `r${id}.tsr`);
    writeFileSync(q, query);
    if (tsa.mode === 'foreign-imprint') await run('openssl', ['ts', '-query', '-digest', 'ab'.repeat(32), '-sha256', '-cert', '-out', q]);
    if (tsa.mode === 'rejection') await run('openssl', ['ts', '-query', '-digest', 'ab'.repeat(20), '-sha1', '-out', q]); // SHA-1 is not in `digests`
    await run('openssl', ['ts', '-reply', '-config', configPath, '-queryfile', q, '-out', r]);
    return readFileSync(r);
  };
  let queue: Promise<unknown> = Promise.resolve(); // openssl's serial file wants one reply at a time
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      tsa.requests++;
      tsa.lastAuthorization = req.headers.authorization;
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
        res.writeHead(415).end();
        return;
      }
      if (tsa.mode === 'reset-once') {
        tsa.mode = 'ok';
        return void req.socket.destroy();
      }
      if (tsa.mode === 'http-500') return void res.writeHead(500).end('broken');
      if (tsa.mode === 'endless') {
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
        const block = Buffer.alloc(64 * 1024, 0x30);
        const pump = () => {
          while (!res.destroyed && res.write(block));
          if (!res.destroyed) res.once('drain', pump);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        return pump();
      }
      if (tsa.mode === 'not-der') return void res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end('<html>hello</html>');
      const job = queue.then(() => reply(Buffer.concat(chunks)));
      queue = job.catch(() => undefined);
      job.then(
        (bytes) => res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(bytes),
        (e: Error) => res.writeHead(500).end(e.message),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const tsa: TestTsa = {
    url: `http://127.0.0.1:${port}/tsr`,
    ca,
    certPath,
    keyPath,
    configPath,
    mode: 'ok',
    requests: 0,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return tsa;
}

/** A token made by hand with this TSA's openssl config over `data` (for tokens the writer would refuse to embed). */
export async function tokenOver(tsa: TestTsa, dir: string, data: Buffer): Promise<Buffer> {
  const stem = join(dir, `hand-${Math.random().toString(16).slice(2, 8)}`);
  writeFileSync(`${stem}.bin`, data);
  await run('openssl', ['ts', '-query', '-data', `${stem}.bin`, '-sha256', '-cert', '-out', `${stem}.tsq`]);
  await run('openssl', ['ts', '-reply', '-config', tsa.configPath, '-queryfile', `${stem}.tsq`, '-token_out', '-out', `${stem}.tst`]);
  return readFileSync(`${stem}.tst`);
}
