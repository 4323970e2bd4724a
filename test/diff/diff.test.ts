// `diff` of signed packs through a real process: level 2 → level 4 samples, tampered / unsigned / non-pack / incompatible inputs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.js';
import { keygen, loadSigner, signDetachedCms, signDsse } from '../../src/pack/index.js';
import { sha256Hex } from '../../src/pack/manifest.js';

const tmp = (p = 'ep-diff-') => mkdtempSync(join(tmpdir(), p));
let keyArgs: string[] = [];
let keyFiles = { key: '', cert: '' };
const packs = { l2: '', l4: '' };

function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel)).flatMap((n) => (statSync(join(dir, rel, n)).isDirectory() ? filesUnder(dir, rel ? `${rel}/${n}` : n) : [rel ? `${rel}/${n}` : n]));
}
const copy = (dir: string) => {
  const c = join(tmp(), 'pack');
  cpSync(dir, c, { recursive: true });
  return c;
};

before(async () => {
  const k = await keygen(tmp('ep-keys-'));
  keyFiles = { key: k.keyPath, cert: k.certPath };
  keyArgs = ['--sign-key', keyFiles.key, '--sign-cert', keyFiles.cert, '-q'];
  for (const [name, cfg] of [['l2', 'samples/acme-bank/evidence-pack.yaml'], ['l4', 'samples/level4-helvetia-health/evidence-pack.yaml']] as const) {
    packs[name] = join(tmp(), name);
    const r = cli(['attest', cfg, '--out', packs[name], ...keyArgs]);
    assert.equal(r.code, 0, r.stderr);
  }
});

test('level-2 → level-4 sample: the gained criteria, improved checks and new activations are listed', () => {
  const r = cli(['diff', packs.l2, packs.l4, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.deepEqual([d.level.from, d.level.to], [2, 4]);
  const gained = d.criteria.gained.map((c: { id: string }) => c.id);
  for (const id of ['L3.cloudtrail-multi-region-validation', 'L3.realtime-alarms', 'L3.post-incident-review', 'L4.automatic-rotation', 'L4.change-ticket', 'L4.annual-drill']) assert.ok(gained.includes(id), `${id} gained: ${gained}`);
  assert.ok(d.checks.improved.length > 0);
  assert.ok(d.activations.new.length > 0, 'the level-4 sample has CloudTrail activations');
  const text = cli(['diff', packs.l2, packs.l4]);
  assert.match(text.stdout, /maturity level 2 → 4 \(\+2\)/);
  assert.match(text.stdout, /criteria gained \(\d+\):\n(  .*\n)*  \+ L4\.annual-drill \(L4\)/);
});

test('the other way round is a regression: exit 1 with --fail-on-regression, 0 without', () => {
  const r = cli(['diff', packs.l4, packs.l2, '--json', '--fail-on-regression']);
  assert.equal(r.code, 1);
  const d = JSON.parse(r.stdout);
  assert.equal(d.regression, true);
  assert.ok(d.criteria.lost.some((c: { id: string }) => c.id === 'L4.annual-drill'));
  assert.ok(d.checks.regressed.length > 0 && d.activations.resolved.length > 0);
  assert.equal(cli(['diff', packs.l4, packs.l2]).code, 0);
});

test('bad input: exit 2 with a one-line error that says what is wrong', () => {
  const tamperedFile = copy(packs.l4);
  const report = JSON.parse(readFileSync(join(tamperedFile, 'report.json'), 'utf8'));
  report.maturity.level = 5;
  writeFileSync(join(tamperedFile, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  const added = copy(packs.l2);
  writeFileSync(join(added, 'evidence', 'extra.txt'), 'slipped in\n');
  const unsigned = copy(packs.l2);
  writeFileSync(join(unsigned, 'attestation.dsse.json'), '');
  const unsignedRun = join(tmp(), 'run');
  assert.notEqual(cli(['run', 'samples/acme-bank/evidence-pack.yaml', '--out', unsignedRun, '-q']).code, 2);
  const notAPack = tmp('ep-notapack-');
  writeFileSync(join(notAPack, 'notes.txt'), 'hello\n');
  const table: [string, string, RegExp][] = [
    ['modified report.json', tamperedFile, /TAMPERED[\s\S]*report\.json: modified \(content differs from manifest\.json[^\n]*content differs from its attestation subject digest/],
    ['file added after signing', added, /TAMPERED[\s\S]*evidence\/extra\.txt: unexpected \(not listed in manifest\.json or the attestation\)/],
    ['emptied attestation', unsigned, /TAMPERED[\s\S]*attestation\.dsse\.json: modified \(not JSON/],
    ['unsigned pack from run', unsignedRun, /UNSIGNED/],
    ['a folder that is not a pack', notAPack, /not an evidence pack \(no report\.json\)/],
    ['a missing folder', join(notAPack, 'nope'), /no such pack folder/],
  ];
  for (const [name, dir, msg] of table) {
    const r = cli(['diff', packs.l2, dir]);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, /^error: /, name);
    assert.match(r.stderr, msg, name);
    assert.equal(r.stdout, '', name);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${name}: no stack trace`);
  }
});

test('packs of another report.json schemaVersion (correctly signed) are refused as incompatible', async () => {
  const future = copy(packs.l2);
  const report = JSON.parse(readFileSync(join(future, 'report.json'), 'utf8'));
  report.schemaVersion = 2;
  writeFileSync(join(future, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  // Re-sign as a future release would: manifest entry and CMS signature, then every file a subject.
  const material = await loadSigner({ key: keyFiles.key, cert: keyFiles.cert });
  const manifest = JSON.parse(readFileSync(join(future, 'manifest.json'), 'utf8'));
  const entry = manifest.files.find((f: { path: string }) => f.path === 'report.json');
  const reportBytes = readFileSync(join(future, 'report.json'));
  Object.assign(entry, { size: reportBytes.length, sha256: sha256Hex(reportBytes) });
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(future, 'manifest.json'), manifestBytes);
  writeFileSync(join(future, 'manifest.json.p7s'), await signDetachedCms(manifestBytes, material));
  const env = JSON.parse(readFileSync(join(future, 'attestation.dsse.json'), 'utf8'));
  const st = JSON.parse(Buffer.from(env.payload, 'base64').toString());
  st.predicate.manifestSha256 = sha256Hex(manifestBytes);
  st.subject = [
    ...filesUnder(future).filter((f) => f !== 'attestation.dsse.json').sort().map((f) => ({ name: f, digest: { sha256: sha256Hex(readFileSync(join(future, f))) } })),
    ...st.subject.filter((s: { digest: { gitCommit?: string } }) => s.digest.gitCommit),
  ];
  writeFileSync(join(future, 'attestation.dsse.json'), JSON.stringify(await signDsse(st, material)) + '\n');
  const r = cli(['diff', packs.l2, future]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /schemaVersion 2; this evidence-pack compares version 1/);
});

test('signed packs written by `run` are verified with the pack verifier and compared the same way; a tampered one is refused', () => {
  const runPack = join(tmp(), 'run-signed');
  const r = cli(['run', 'samples/level4-helvetia-health/evidence-pack.yaml', '--out', runPack, '--sign-key', keyFiles.key, '--sign-cert', keyFiles.cert, '-q']);
  assert.equal(r.code, 0, r.stderr);
  const d = cli(['diff', packs.l2, runPack, '--json']);
  assert.equal(d.code, 0, d.stderr);
  assert.deepEqual([JSON.parse(d.stdout).level.from, JSON.parse(d.stdout).level.to], [2, 4]);
  const tampered = copy(runPack);
  const html = join(tampered, 'report.html');
  writeFileSync(html, readFileSync(html, 'utf8').replace('</body>', '<p>all good</p></body>'));
  const t = cli(['diff', packs.l2, tampered]);
  assert.equal(t.code, 2);
  assert.match(t.stderr, /TAMPERED or broken: the pack does not verify[\s\S]*report\.html: modified/);
});

test('loadPackForDiff verifies attest folders with verifyPack and names their kind and signer', async () => {
  const { loadPackForDiff } = await import('../../src/diff/index.js');
  const { verifyPack } = await import('../../src/pack/index.js');
  const loaded = await loadPackForDiff(packs.l2);
  const v = await verifyPack(packs.l2);
  assert.equal(loaded.kind, 'release-attestation');
  assert.equal(loaded.signer, v.signer);
  assert.ok(loaded.signer && loaded.signer.length > 0);
});
