// Worker thread: reads (or receives) log files and scans them, so both cores decompress and scan.

import { parentPort, workerData } from 'node:worker_threads';
import { scanLogFile, type ScanPlan } from './scan.js';
import type { ScanTask, ScanReply } from './pool.js';
import { DEFAULT_MAX_FILE_BYTES, readFailure, readInputFile } from '../input-files.js';

const plan = (workerData as { plan: ScanPlan }).plan;

// Synchronous reads: this thread has nothing else to do meanwhile, and they cost less than promise-based ones.
parentPort!.on('message', (task: ScanTask) => {
  let reply: ScanReply;
  try {
    const raw = task.bytes ? Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength) : readInputFile(task.path!, plan.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    reply = { id: task.id, scan: scanLogFile(raw, plan) };
  } catch (err) {
    reply = { id: task.id, readProblem: readFailure(err) };
  }
  parentPort!.postMessage(reply);
});
