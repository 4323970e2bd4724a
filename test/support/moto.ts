// A real AWS API emulator for tests: moto_server (moto 5.x, Python) on a free loopback port, so the SDK's own
// signing, serialisation, paging and error mapping run. Fails loudly — never skips — when moto cannot start.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface Moto {
  /** http://127.0.0.1:PORT — pass as `endpoint` to every SDK client (S3 also needs forcePathStyle). */
  endpoint: string;
  port: number;
  /** Client options that reach this server: endpoint, region, static test credentials, path-style S3. */
  clientConfig(region?: string): MotoClientConfig;
  /** Forgets every resource (POST /moto-api/reset), for a clean state between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface MotoClientConfig {
  endpoint: string;
  region: string;
  forcePathStyle: true;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

const MOTO_BIN = process.env.MOTO_SERVER ?? 'moto_server';
/** The Python that has moto installed, for the { kmsSignDigest } wrapper. */
const MOTO_PYTHON = process.env.MOTO_PYTHON ?? 'python3';
const KMS_DIGEST_WRAPPER = fileURLToPath(new URL('./moto-kms-digest.py', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function ready(endpoint: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before it answered:\n${output()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms:\n${output()}`);
}

/**
 * Starts moto_server on a free loopback port. Throws (the test fails) when moto_server is missing or does not start.
 * `kmsSignDigest`: run moto through test/support/moto-kms-digest.py, which makes KMS Sign honour MessageType=DIGEST
 * (and the PSS salt length) as AWS does; moto 5 alone hashes the digest again.
 */
export async function startMoto(opts: { timeoutMs?: number; kmsSignDigest?: boolean } = {}): Promise<Moto> {
  const [bin, prefix] = opts.kmsSignDigest ? [MOTO_PYTHON, [KMS_DIGEST_WRAPPER]] : [MOTO_BIN, []];
  const probe = spawnSync(bin, [...prefix, '--help'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const why = probe.error?.message ?? probe.stderr.trim().split('\n').at(-1);
    throw new Error(`moto_server is not available (${why}): install moto[server] for Python 3${opts.kmsSignDigest ? ', or set MOTO_PYTHON to the Python that has it' : ''} (.ci/run checks it)`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let log = '';
  // moto_server runs under a shell that stops it when its stdin closes, i.e. when this process ends in any way
  // (a killed test runner included): no emulator is left behind.
  const watchdog = 'exec 3<&0; "$0" "$@" </dev/null & pid=$!; (cat <&3 >/dev/null; kill $pid 2>/dev/null) & exec 3<&-; wait $pid';
  const child = spawn('sh', ['-c', watchdog, bin, ...prefix, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', PYTHONUNBUFFERED: '1' },
  });
  const keep = (b: Buffer) => {
    log = (log + b.toString()).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  try {
    await ready(endpoint, child, () => log, opts.timeoutMs ?? 120_000);
  } catch (e) {
    child.stdin!.end();
    throw e;
  }
  return {
    endpoint,
    port,
    clientConfig: (region = 'us-east-1') => ({
      endpoint,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    }),
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // Closing stdin makes the shell stop moto_server and wait for it.
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
