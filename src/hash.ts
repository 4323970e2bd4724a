// The one SHA-256 helper: lowercase hex of the bytes (or UTF-8 text) given.

import { createHash } from 'node:crypto';

export function sha256Hex(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}
