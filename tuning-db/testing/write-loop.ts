// A child process for the crash test: commits batches of sample records to the database at argv[2]
// forever, printing each batch's first trial number once its transaction has committed.

import { openTuningDb } from '../tuning-db.js';
import { DEVICE, sampleRecord, WORKLOAD } from './samples.js';

const BATCH = 20;
const db = await openTuningDb(process.argv[2]);
await db.upsertDevice(DEVICE);
await db.upsertWorkload(WORKLOAD);
for (let first = 0; ; first += BATCH) {
  await db.addRecords(Array.from({ length: BATCH }, (_, i) => sampleRecord(first + i)));
  process.stdout.write(`${first}\n`);
}
