// Where the workplace's shared folder (seeds, official schemas, real CloudTrail test data) is: beside the
// repository, as CI lays it out, else /work/shared; EVIDENCE_PACK_SHARED overrides both.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const beside = resolve(fileURLToPath(new URL('../../..', import.meta.url)), 'shared');

export const SHARED_DIR = process.env.EVIDENCE_PACK_SHARED ?? (existsSync(beside) ? beside : '/work/shared');
export const SCHEMAS_DIR = join(SHARED_DIR, 'schemas');
export const CLOUDTRAIL_TESTDATA = join(SHARED_DIR, 'testdata', 'cloudtrail');
