// Test helpers for the CloudFormation collector: temp folders built from object literals, entity lookups.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { collectCloudFormation } from '../../src/collect/cloudformation/index.js';
import type { Entity, EntityOf, EntityType, InfraSnapshot } from '../../src/model/infra.js';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Writes `files` (path → content) under a fresh temp folder and returns the folder. */
export async function tempTree(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cfn-test-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Collects one template given as text; `name` decides YAML or JSON. */
export async function collectOne(text: string, name = 'template.yaml'): Promise<InfraSnapshot> {
  const dir = await tempTree({ [name]: text });
  const [snapshot] = await collectCloudFormation({ paths: [name], baseDir: dir });
  return snapshot;
}

export function entity<T extends EntityType>(snapshot: InfraSnapshot, type: T, id: string): EntityOf<T> {
  const found = snapshot.entities.find((e): e is EntityOf<T> => e.type === type && e.id === id);
  if (!found) throw new Error(`no ${type} ${id}; have ${snapshot.entities.map((e) => `${e.type}:${e.id}`).join(', ')}`);
  return found;
}

export function ofType<T extends EntityType>(snapshot: InfraSnapshot, type: T): EntityOf<T>[] {
  return snapshot.entities.filter((e: Entity): e is EntityOf<T> => e.type === type);
}

export function errors(snapshot: InfraSnapshot): string[] {
  return snapshot.problems.filter((p) => p.level === 'error').map((p) => `${p.location?.line ?? '-'}:${p.location?.column ?? '-'} ${p.message}`);
}

/** A YAML template with the given resources section (already indented by 2) and optional extra sections. */
export function yamlTemplate(resources: string, extra = ''): string {
  return `AWSTemplateFormatVersion: '2010-09-09'\n${extra}Resources:\n${resources}`;
}
