// A worker thread for the test that opening the database off the main thread is refused: it loads
// the TypeScript sources through tsx (worker threads ignore --import) and reports what happened.

import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { openTuningDb } = await import('../tuning-db.ts');
await openTuningDb(workerData).then(() => parentPort.postMessage('opened'), (e) => parentPort.postMessage(e.message));
