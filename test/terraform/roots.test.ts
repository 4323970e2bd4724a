// Root modules of a folder tree: which folders are roots, which are only local modules, what is skipped.

import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { tableTest } from '../filter-pattern/table.js';
import { hclParser } from '../../src/collect/terraform/hcl.js';
import { findModuleTree, rootsOf } from '../../src/collect/terraform/roots.js';
import { tempTree } from './helpers.js';
import { collectTerraform } from '../../src/collect/terraform/index.js';
import { test } from 'node:test';

const call = (name: string, source: string) => `module "${name}" {\n  source = "${source}"\n}\n`;
const res = 'resource "aws_sns_topic" "t" {\n  name = "t"\n}\n';

interface Case {
  name: string;
  files: Record<string, string>;
  roots: string[];
  /** Module folder → the roots its files stand for. */
  rootsOf?: Record<string, string[]>;
}

const cases: Case[] = [
  {
    name: 'two stacks under infra/, a shared local module used by both',
    files: { 'infra/logging/main.tf': call('b', '../../modules/bucket'), 'infra/alarms/main.tf': call('b', '../../modules/bucket'), 'modules/bucket/main.tf': res, 'README.md': 'x' },
    roots: ['infra/alarms', 'infra/logging'],
    rootsOf: { 'modules/bucket': ['infra/alarms', 'infra/logging'], 'infra/alarms': ['infra/alarms'] },
  },
  {
    name: 'a module used through another local module belongs to the root at the top of the chain',
    files: { 'live/main.tf': call('a', '../mods/a'), 'mods/a/main.tf': call('b', '../b'), 'mods/b/main.tf': res },
    roots: ['live'],
    rootsOf: { 'mods/b': ['live'] },
  },
  {
    name: 'a module repository: the named folder is a root, its examples are roots, its sub-modules are not',
    files: { 'main.tf': res + call('sub', './modules/sub'), 'modules/sub/main.tf': res, 'examples/complete/main.tf': call('this', '../../') },
    roots: ['.', 'examples/complete'],
  },
  {
    name: '.terraform, hidden, node_modules and vendor folders are skipped',
    files: { 'main.tf': res, '.terraform/modules/x/main.tf': res, '.hidden/main.tf': res, 'node_modules/m/main.tf': res, 'vendor/v/main.tf': res, 'third_party/t/main.tf': res },
    roots: ['.'],
  },
  {
    name: 'a module folder that is also a root of its own (backend block, auto-loaded variables) stays a root',
    files: {
      'envs/prod/main.tf': call('svc', '../../svc') + 'terraform {\n  backend "s3" {}\n}\n',
      'svc/main.tf': res + 'terraform {\n  backend "s3" {}\n}\n',
      'shared/main.tf': res,
      'shared/terraform.tfvars': 'x = 1\n',
      'other/main.tf': call('s', '../shared'),
    },
    roots: ['envs/prod', 'other', 'shared', 'svc'],
  },
  {
    name: 'a file that does not parse still makes its folder a module folder',
    files: { 'broken/main.tf': 'resource "x" "y" {\n', 'ok/main.tf': res },
    roots: ['broken', 'ok'],
  },
  { name: 'no Terraform at all', files: { 'docs/a.md': 'x', 'cfn/t.yaml': 'Resources: {}\n' }, roots: [] },
];

tableTest('root modules of a tree', cases, async (c) => {
  const t = tempTree(c.files);
  try {
    const tree = findModuleTree(await hclParser(), t.dir);
    const rel = (p: string) => relative(t.dir, p) || '.';
    assert.deepEqual(tree.roots.map(rel), c.roots);
    for (const [dir, want] of Object.entries(c.rootsOf ?? {})) assert.deepEqual(rootsOf(tree, `${t.dir}/${dir}`).map(rel), want, dir);
  } finally {
    t.cleanup();
  }
});

// Never a silent pass: a tree larger than the search bound is searched up to it, and the snapshot says so.
test('a tree beyond the folder bound: the roots found are read and the search says where it stopped', async () => {
  const t = tempTree({ 'a/main.tf': res, 'b/main.tf': res, 'c/main.tf': res, 'd/main.tf': res });
  try {
    const snapshots = await collectTerraform({ paths: ['.'], baseDir: t.dir, maxFolders: 3 });
    assert.deepEqual(snapshots.map((s) => s.root), ['a', 'b']);
    const p = snapshots.flatMap((s) => s.problems).find((x) => x.skip);
    assert.ok(p, JSON.stringify(snapshots.map((s) => s.problems)));
    assert.deepEqual([p.level, p.skip, p.location?.file], ['warning', 'too-large', '.']);
    assert.match(p.message, /^\.: the search for root modules stopped after 3 folders; root modules beyond them are not read/);
  } finally {
    t.cleanup();
  }
});
