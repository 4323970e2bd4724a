// Starts the TypeScript scan worker under tsx (tests and benchmarks run the sources; built code loads scan-worker.js directly).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
