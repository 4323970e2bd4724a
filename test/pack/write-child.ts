// Child process for the kill test: writes a sample pack to argv[2] (signed with argv[3] key + argv[4] cert).

import { loadSigner } from '../../src/pack/index.js';
import { writeSamplePack } from './helpers.js';

const [outDir, key, cert] = process.argv.slice(2);
const material = await loadSigner({ key, cert });
await writeSamplePack(outDir, material, { sourceDateEpoch: 1_800_000_000 });
process.stdout.write('written\n');
