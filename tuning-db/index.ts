// tuning-db: the SQLite database of measured schedules, owned by the main thread (see
// tuning-db.ts). Exports only; the schema's registry is its list of migrations (schema.ts).

export { openTuningDb, recordProblem, type TuningDb, type TuningDbWriter, type OpenOptions } from './tuning-db.js';
export { MIGRATIONS, SCHEMA_VERSION, APPLICATION_ID } from './schema.js';
export { defaultDbPath } from './default-path.js';
export { exportLines, importLines, parseExport, EXPORT_FORMAT, EXPORT_VERSION, type ImportSummary, type ParsedExport } from './jsonl.js';
export { BUSY_TIMEOUT_MS } from './connection.js';
export {
  FAILURE_KINDS, type FailureKind, type Device, type Workload, type Model, type RunStats, type Comparison, type NewRecord, type TuningRecord,
  type TuningRunKey, type TuningRunStatus, type TuningRun, type StoredTuningRun, type Bench, type LeaderboardRow,
} from './types.js';
