// `attest` through a real process: gates and exit codes, the DSSE envelope checked by openssl as docs/ci.md says, git commit subject.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { cli } from '../support/cli.js';
import { git } from '../support/git.js';
import { publicUrl } from '../../src/public-url.js';
import { keygen } from '../../src/pack/keys.js';

const SAMPLE = 'samples/acme-bank/evidence-pack.yaml';
const SAMPLE_LEVEL = 2; // the README's sample; test/cli/run.test.ts pins the same level
let keyArgs: string[] = [];
let certPath = '';
const tmp = (p = 'ep-attest-') => mkdtempSync(join(tmpdir(), p));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel)).flatMap((n) => (statSync(join(dir, rel, n)).isDirectory() ? filesUnder(dir, rel ? `${rel}/${n}` : n) : [rel ? `${rel}/${n}` : n]));
}
const statementOf = (dir: string) => JSON.parse(Buffer.from(JSON.parse(readFileSync(join(dir, 'attestation.dsse.json'), 'utf8')).payload, 'base64').toString('utf8'));

before(async () => {
  const k = await keygen(tmp('ep-keys-'), { organisation: 'Acme Bank AG' });
  certPath = k.certPath;
  keyArgs = ['--sign-key', k.keyPath, '--sign-cert', certPath];
});

test('gates: exit 0 at --min-maturity equal to the sample level, 1 above it (attestation written either way), job summary appended', () => {
  const summary = join(tmp(), 'summary.md');
  const table: [number, number][] = [
    [SAMPLE_LEVEL, 0],
    [SAMPLE_LEVEL + 1, 1],
  ];
  for (const [min, code] of table) {
    const out = join(tmp(), 'att');
    const r = cli(['attest', SAMPLE, '--out', out, '--min-maturity', String(min), ...keyArgs, '--json'], { env: { GITHUB_STEP_SUMMARY: summary } });
    assert.equal(r.code, code, `--min-maturity ${min}: ${r.stderr}`);
    const j = JSON.parse(r.stdout);
    assert.equal(j.level, SAMPLE_LEVEL);
    assert.deepEqual(j.gates, [{ gate: `--min-maturity ${min}`, tripped: code === 1 }]);
    assert.ok(existsSync(join(out, 'attestation.dsse.json')));
    assert.ok(!existsSync(join(out, 'report.pdf')), 'no PDF unless --pdf');
  }
  const md = readFileSync(summary, 'utf8');
  assert.match(md, /Maturity level 2 of 5/);
  assert.match(md, new RegExp(`Gate \`--min-maturity ${SAMPLE_LEVEL}\`: passed`));
  assert.match(md, new RegExp(`Gate \`--min-maturity ${SAMPLE_LEVEL + 1}\`: \\*\\*failed\\*\\*`));
});

test('--fail-on: the sample has failing and unknown checks, so fail and unknown trip and none does not', () => {
  const table: [string, number][] = [
    ['none', 0],
    ['fail', 1],
    ['unknown', 1],
  ];
  for (const [failOn, code] of table) {
    const r = cli(['attest', SAMPLE, '--out', join(tmp(), 'att'), '--fail-on', failOn, ...keyArgs, '-q']);
    assert.equal(r.code, code, `--fail-on ${failOn}: ${r.stderr}`);
    assert.equal(r.stdout, '', '--quiet prints nothing');
  }
});

test('the DSSE envelope verifies with openssl pkeyutl -rawin over the PAE bytes, running the commands of docs/ci.md', () => {
  const out = join(tmp(), 'att');
  assert.equal(cli(['attest', SAMPLE, '--out', out, ...keyArgs, '-q']).code, 0);
  const doc = readFileSync('docs/ci.md', 'utf8');
  const script = /<!-- verify-release-attestation -->\n```sh\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(script, 'docs/ci.md has the verification block');
  const run = () => spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: out, env: { ...process.env, TRUST: certPath }, encoding: 'utf8' });
  const ok = run();
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  assert.match(ok.stdout, /Signature Verified Successfully/);
  const head = git('.', ['rev-parse', 'HEAD']).trim();
  assert.match(ok.stdout, new RegExp(`${head}$`, 'm'), 'the commit subject is HEAD of the sample’s repository');

  // A changed evidence file and a re-encoded payload are both caught by the same commands.
  const evidence = filesUnder(out).find((f) => f.startsWith('evidence/'))!;
  const original = readFileSync(join(out, evidence));
  writeFileSync(join(out, evidence), Buffer.concat([original, Buffer.from('\n')]));
  assert.notEqual(run().status, 0, 'tampered evidence file');
  writeFileSync(join(out, evidence), original);
  const env = JSON.parse(readFileSync(join(out, 'attestation.dsse.json'), 'utf8'));
  const st = JSON.parse(Buffer.from(env.payload, 'base64').toString());
  st.predicate.maturity.level = 5;
  writeFileSync(join(out, 'attestation.dsse.json'), JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(st)).toString('base64') }) + '\n');
  const forged = run();
  assert.notEqual(forged.status, 0, 'edited statement');
  assert.match(forged.stdout + forged.stderr, /Signature Verification Failure|verification failure/i);
});

test('subjects: every file with its sha256 and the git commit of the config folder’s repository (credentials stripped from origin)', () => {
  const repo = tmp('ep-attest-repo-');
  cpSync('samples/acme-bank', repo, { recursive: true });
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'evidence'], { GIT_AUTHOR_DATE: '2026-07-01T10:00:00Z', GIT_COMMITTER_DATE: '2026-07-01T10:00:00Z' });
  git(repo, ['remote', 'add', 'origin', 'https://x-access-token:ghs_SECRET123@github.com/acme/platform.git']);
  const head = git(repo, ['rev-parse', 'HEAD']).trim();
  const out = join(tmp(), 'att');
  const r = cli(['attest', join(repo, 'evidence-pack.yaml'), '--out', out, ...keyArgs, '--format', 'junit']);
  assert.equal(r.code, 0, r.stderr);
  const st = statementOf(out);
  assert.equal(st.predicateType, 'https://evidence-pack.dev/attestation/release/v1');
  const files = filesUnder(out).filter((f) => f !== 'attestation.dsse.json').sort();
  const fileSubjects = st.subject.filter((s: any) => s.digest.sha256);
  assert.deepEqual(fileSubjects.map((s: any) => s.name), files, 'every file is a subject');
  for (const s of fileSubjects) assert.equal(s.digest.sha256, sha256(readFileSync(join(out, s.name))), s.name);
  assert.deepEqual(st.subject.filter((s: any) => s.digest.gitCommit), [{ name: 'git+https://github.com/acme/platform.git', digest: { gitCommit: head } }]);
  assert.deepEqual(st.predicate.repository, { state: 'git', commit: head, dirty: false, remote: 'https://github.com/acme/platform.git' });
  for (const f of filesUnder(out)) assert.ok(!readFileSync(join(out, f), 'utf8').includes('ghs_SECRET123'), `${f} holds no token`);
  assert.ok(!r.stdout.includes('ghs_SECRET123') && !r.stderr.includes('ghs_SECRET123'));
  // --format junit: stdout is the same XML as junit.xml.
  assert.equal(r.stdout, readFileSync(join(out, 'junit.xml'), 'utf8'));
  const suites = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testcase' }).parse(r.stdout);
  assert.equal(suites.testsuites.testsuite.testcase.length, JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).checks.length);
  // The folder is a pack like `run`'s: `verify` accepts it, says no PDF was made and shows the commit as a signed claim.
  const v = cli(['verify', out, '--trust', certPath]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /report\.pdf \(PAdES\)\s+none made \(manifest\.json says this pack has no report\.pdf\)/);
  assert.match(v.stdout, new RegExp(`signed claim\\s+git\\+https://github\\.com/acme/platform\\.git gitCommit:${head}`));
  assert.match(v.stdout, /pack verified/);
  const vj = JSON.parse(cli(['verify', out, '--json']).stdout);
  assert.equal(vj.predicateType, 'https://evidence-pack.dev/attestation/release/v1');
  assert.deepEqual(vj.claims, [{ name: 'git+https://github.com/acme/platform.git', digest: { gitCommit: head } }]);
});

test('outside a git repository the attestation says so, warns, and has no commit subject', () => {
  const dir = tmp('ep-attest-nogit-');
  cpSync('samples/acme-bank', dir, { recursive: true });
  const out = join(tmp(), 'att');
  const r = cli(['attest', join(dir, 'evidence-pack.yaml'), '--out', out, ...keyArgs, '-q'], { env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: no git commit in the attestation/);
  const st = statementOf(out);
  assert.equal(st.predicate.repository.state, 'not-a-repository');
  assert.ok(st.subject.every((s: any) => s.digest.sha256));
});

test('without a signing key: exit 2, a one-line error with a hint, nothing written', () => {
  const out = join(tmp(), 'att');
  const r = cli(['attest', SAMPLE, '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: attest needs a signing key/m);
  assert.match(r.stderr, /^hint: .*evidence-pack keygen.*--sign-key.*--sign-cert.*--sign-p12.*--sign-passphrase-env/m);
  assert.ok(!existsSync(out));
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('bad gate values are usage errors (exit 2) naming the option', () => {
  const table: [string[], RegExp][] = [
    [['--min-maturity', '7'], /--min-maturity: expected a level from 0 to 5, got "7"/],
    [['--fail-on', 'sometimes'], /--fail-on: expected one of fail, error, unknown, none/],
    [['--format', 'xml'], /--format: expected one of text, json, junit/],
  ];
  for (const [args, msg] of table) {
    const r = cli(['attest', SAMPLE, '--out', join(tmp(), 'att'), ...keyArgs, ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, msg);
  }
});

test('publicUrl strips credentials from remote URLs', () => {
  const table: [string, string][] = [
    ['https://x-access-token:ghs_abc@github.com/acme/p.git', 'https://github.com/acme/p.git'],
    ['https://github.com/acme/p.git', 'https://github.com/acme/p.git'],
    ['git@github.com:acme/p.git', 'github.com:acme/p.git'],
    ['ssh://git@host.example/acme/p.git', 'ssh://host.example/acme/p.git'],
    ['https://tsa.example/tsr?apikey=s3cret', 'https://tsa.example/tsr'],
  ];
  for (const [input, want] of table) assert.equal(publicUrl(input), want, input);
});

test('--pdf adds a PAdES-signed report.pdf that is a subject of the attestation', () => {
  const out = join(tmp(), 'att');
  const r = cli(['attest', SAMPLE, '--out', out, ...keyArgs, '--pdf', '-q']);
  assert.equal(r.code, 0, r.stderr);
  const pdf = readFileSync(join(out, 'report.pdf'));
  assert.ok(statementOf(out).subject.some((s: any) => s.name === 'report.pdf' && s.digest.sha256 === sha256(pdf)));
  const info = spawnSync('pdfsig', [join(out, 'report.pdf')], { encoding: 'utf8' });
  assert.match(info.stdout, /Signature Validation: Signature is Valid/);
  const v = cli(['verify', out, '--trust', certPath]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /report\.pdf \(PAdES\)\s+valid/);
});
