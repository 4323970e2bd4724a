// writePack's options for attest (no PDF, a git-commit subject, the release predicate) and how verifyPack judges such packs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyPack, signDsse, RELEASE_PREDICATE_TYPE, AUDIT_PACK_PREDICATE_TYPE, type VerifyResult } from '../../src/pack/index.js';
import { EvidencePackError } from '../../src/errors.js';
import { tempDir, trialKey, writeSamplePack } from './helpers.js';

const COMMIT = { name: 'git+https://github.com/acme/platform.git', digest: { gitCommit: '0123456789abcdef0123456789abcdef01234567' } };
let work: { dir: string; cleanup: () => Promise<void> };
let packDir: string;

before(async () => {
  work = await tempDir();
  packDir = join(work.dir, 'release');
  await writeSamplePack(packDir, (await trialKey()).signer, {
    pdf: false,
    attestation: { subjects: [COMMIT], predicateType: RELEASE_PREDICATE_TYPE, predicate: (base) => ({ ...base, repository: { state: 'git', commit: COMMIT.digest.gitCommit } }) },
  });
});
after(() => work.cleanup());

const readJson = async (p: string) => JSON.parse(await readFile(p, 'utf8'));
const statementOf = async (dir: string) => JSON.parse(Buffer.from((await readJson(join(dir, 'attestation.dsse.json'))).payload, 'base64').toString('utf8'));
let n = 0;
async function copyPack(): Promise<string> {
  const dir = join(work.dir, `copy-${n++}`);
  await cp(packDir, dir, { recursive: true });
  return dir;
}
async function resign(dir: string, edit: (st: any) => void): Promise<void> {
  const st = await statementOf(dir);
  edit(st);
  await writeFile(join(dir, 'attestation.dsse.json'), JSON.stringify(await signDsse(st, (await trialKey()).signer)) + '\n');
}
const problemsOf = (r: VerifyResult, path: string) => (r.files.find((f) => f.path === path)?.problems ?? []).join('; ');

test('a pack without PDF, with a git-commit subject and the release predicate, verifies; the commit is reported as a signed claim', async () => {
  const manifest = await readJson(join(packDir, 'manifest.json'));
  assert.equal(manifest.pdf, false);
  assert.ok(!manifest.notListed.some((n: { path: string }) => n.path === 'report.pdf'), 'notListed does not excuse a PDF that was never made');
  const st = await statementOf(packDir);
  assert.equal(st.predicateType, RELEASE_PREDICATE_TYPE);
  assert.deepEqual(st.predicate.repository, { state: 'git', commit: COMMIT.digest.gitCommit });
  assert.deepEqual(st.subject.at(-1), COMMIT, 'the commit follows the file subjects');
  const r = await verifyPack(packDir);
  assert.equal(r.ok, true, JSON.stringify(r.files.filter((f) => f.status !== 'ok')));
  assert.equal(r.predicateType, RELEASE_PREDICATE_TYPE);
  assert.deepEqual(r.claims, [COMMIT]);
  assert.deepEqual(r.signatures.pdf, { ok: true, problems: [], notMade: 'manifest.json says this pack has no report.pdf' });
  assert.ok(!r.files.some((f) => f.path === 'report.pdf'));
});

test('a run pack (with PDF, audit-pack predicate) reports no claims and a verified PDF signature', async () => {
  const dir = join(work.dir, 'run');
  await writeSamplePack(dir, (await trialKey()).signer);
  const r = await verifyPack(dir);
  assert.equal(r.ok, true);
  assert.equal(r.predicateType, AUDIT_PACK_PREDICATE_TYPE);
  assert.deepEqual(r.claims, []);
  assert.equal(r.signatures.pdf.notMade, undefined);
  assert.equal((await readJson(join(dir, 'manifest.json'))).pdf, undefined, 'run packs keep their manifest shape');
});

// Damage to a pack without PDF: what is done, and which file verifyPack must name and how.
const DAMAGE: { name: string; apply: (dir: string) => Promise<void>; file: string; status: string; problem: RegExp }[] = [
  {
    name: 'a report.pdf slipped into a pack made without one',
    apply: (d) => writeFile(join(d, 'report.pdf'), '%PDF-1.7\n'),
    file: 'report.pdf',
    status: 'unexpected',
    problem: /not listed in manifest\.json or the attestation/,
  },
  {
    name: '"pdf": false removed from manifest.json (to demand a PDF that is not there)',
    apply: async (d) => {
      const p = join(d, 'manifest.json');
      await writeFile(p, (await readFile(p, 'utf8')).replace('  "pdf": false,\n', ''));
    },
    file: 'manifest.json',
    status: 'modified',
    problem: /CMS: .*digest mismatch|content differs from its attestation subject digest/i,
  },
  {
    name: 'the commit claim edited without re-signing',
    apply: async (d) => {
      const p = join(d, 'attestation.dsse.json');
      const env = await readJson(p);
      const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
      st.subject.at(-1).digest.gitCommit = 'f'.repeat(40);
      await writeFile(p, JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(st)).toString('base64') }) + '\n');
    },
    file: 'attestation.dsse.json',
    status: 'modified',
    problem: /DSSE: /,
  },
  {
    name: 're-signed statement giving a pack file a gitCommit digest instead of its sha256',
    apply: (d) => resign(d, (st) => (st.subject.find((s: { name: string }) => s.name === 'report.json').digest = { gitCommit: 'f'.repeat(40) })),
    file: 'report.json',
    status: 'modified',
    problem: /without a sha256 digest.*not a subject of the attestation/,
  },
  {
    name: 're-signed statement with an unknown predicate type',
    apply: (d) => resign(d, (st) => (st.predicateType = 'https://example.com/other/v1')),
    file: 'attestation.dsse.json',
    status: 'modified',
    problem: /predicateType https:\/\/example\.com\/other\/v1 is not one of/,
  },
  {
    name: 're-signed statement with a nameless subject',
    apply: (d) => resign(d, (st) => st.subject.push({ digest: { gitCommit: 'a'.repeat(40) } })),
    file: 'attestation.dsse.json',
    status: 'modified',
    problem: /a subject without a name or digest/,
  },
];

for (const c of DAMAGE) {
  test(`verifyPack names the damage to a pack without PDF: ${c.name}`, async () => {
    const dir = await copyPack();
    await c.apply(dir);
    const r = await verifyPack(dir);
    assert.equal(r.ok, false);
    const f = r.files.find((x) => x.path === c.file);
    assert.equal(f?.status, c.status, JSON.stringify(r.files.filter((x) => x.status !== 'ok')));
    assert.match(problemsOf(r, c.file), c.problem);
  });
}

const BAD_SUBJECTS: { name: string; subject: { name: string; digest: Record<string, string> }; message: RegExp }[] = [
  { name: 'a sha256 digest', subject: { name: 'git+x', digest: { sha256: 'a'.repeat(64) } }, message: /has a sha256 digest: only files of the pack may/ },
  { name: 'no digest', subject: { name: 'git+x', digest: {} }, message: /needs a name and a digest/ },
  { name: 'no name', subject: { name: '', digest: { gitCommit: 'a'.repeat(40) } }, message: /needs a name and a digest/ },
  { name: 'the name of a pack file', subject: { name: 'report.html', digest: { gitCommit: 'a'.repeat(40) } }, message: /has the name of a pack file/ },
  { name: 'the name of a file the writer makes', subject: { name: 'manifest.json', digest: { gitCommit: 'a'.repeat(40) } }, message: /has the name of a pack file/ },
];

for (const c of BAD_SUBJECTS) {
  test(`writePack refuses an extra subject with ${c.name}, writing nothing`, async () => {
    const out = join(work.dir, `bad-${n++}`);
    await assert.rejects(
      writeSamplePack(out, (await trialKey()).signer, { attestation: { subjects: [c.subject] } }),
      (e: unknown) => e instanceof EvidencePackError && e.code === 'USAGE' && c.message.test(e.message),
    );
    await assert.rejects(readFile(join(out, 'manifest.json')), { code: 'ENOENT' });
  });
}
