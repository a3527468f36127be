// The tuning database: every schedule measured for a workload on a device, what resuming a tuning
// run needs, and the bench results the leaderboard shows. Methods are async and safe to call
// concurrently from one process; each write is one transaction, and `write` groups several (a
// batch of records with the run state that counts them) so that a crash keeps all or none.
//
// Only the main thread may open it: a worker thread that holds an open database crashes the whole
// process when the worker is terminated, so openTuningDb refuses to run anywhere else. Workers send
// their results to the main thread, which writes them.

import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { FreightError } from '../ir/errors.js';
import { connect, type Sql } from './connection.js';
import { leaderboard } from './leaderboard.js';
import { migrate } from './schema.js';
import { FAILURE_KINDS, type Bench, type Comparison, type Device, type LeaderboardRow, type Model, type NewRecord, type StoredTuningRun, type TuningRecord, type TuningRun, type TuningRunKey, type Workload } from './types.js';

/** The writes, each alone or several in one `write` transaction. */
export interface TuningDbWriter {
  upsertDevice(device: Device): Promise<void>;
  upsertWorkload(workload: Workload): Promise<void>;
  upsertModel(model: Model): Promise<void>;
  /** Adds the records (their workloads and devices must exist); returns how many were new. */
  addRecords(records: readonly NewRecord[]): Promise<number>;
  saveTuningRun(run: TuningRun): Promise<void>;
  addBench(bench: Bench): Promise<void>;
}

export interface TuningDb extends TuningDbWriter {
  readonly path: string;
  /** Runs `work` in one transaction: all of its writes are committed, or none. */
  write<T>(work: (w: TuningDbWriter) => Promise<T>): Promise<T>;
  /** The fastest valid record of the workload on the device in this record format; a miss is undefined. */
  best(workload: string, device: string, format: number): Promise<TuningRecord | undefined>;
  /**
   * Among the valid records whose comparison with the default bounds their ratio by `maxRatio`
   * (Comparison.upper), the one with the smallest ratio; a miss is undefined.
   */
  bestCompared(workload: string, device: string, format: number, maxRatio: number): Promise<TuningRecord | undefined>;
  /** Every record of the workload (of one device when given), in the order they were added. */
  records(workload: string, device?: string): Promise<TuningRecord[]>;
  /** All records in the order they were added, read a page at a time. */
  allRecords(): AsyncGenerator<TuningRecord>;
  devices(): Promise<Device[]>;
  workloads(): Promise<Workload[]>;
  loadTuningRun(key: TuningRunKey): Promise<StoredTuningRun | undefined>;
  leaderboard(): Promise<LeaderboardRow[]>;
  /** `PRAGMA integrity_check`: ['ok'] for a sound file. */
  integrityCheck(): Promise<string[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Create the file (and its folder) when missing; else a missing file is an error. Default true. */
  readonly create?: boolean;
}

export async function openTuningDb(path: string, options: OpenOptions = {}): Promise<TuningDb> {
  if (!isMainThread) throw new Error('the tuning database may only be opened on the main thread');
  if (options.create ?? true) mkdirSync(dirname(path), { recursive: true });
  else if (!existsSync(path)) throw new FreightError(`there is no tuning database at ${path}`);
  const conn = await connect(path);
  try {
    await migrate(conn);
  } catch (e) {
    await conn.close().catch(() => {});
    throw e;
  }
  const write = <T>(work: (w: TuningDbWriter) => Promise<T>): Promise<T> => conn.write((sql) => work(writerOn(sql)));
  return {
    path,
    upsertDevice: (d) => write((w) => w.upsertDevice(d)),
    upsertWorkload: (wl) => write((w) => w.upsertWorkload(wl)),
    upsertModel: (m) => write((w) => w.upsertModel(m)),
    addRecords: (rs) => write((w) => w.addRecords(rs)),
    saveTuningRun: (run) => write((w) => w.saveTuningRun(run)),
    addBench: (b) => write((w) => w.addBench(b)),
    write,
    best: (workload, device, format) => conn.read(async (sql) => {
      const row = await sql.get<RecordRow>(`${SELECT_RECORDS} WHERE w.key = ? AND d.fingerprint = ? AND r.format = ? AND r.failure IS NULL ORDER BY r.median_ms, r.id LIMIT 1`, [workload, device, format]);
      return row && recordOf(row);
    }),
    bestCompared: (workload, device, format, maxRatio) => conn.read(async (sql) => {
      const row = await sql.get<RecordRow>(`${SELECT_RECORDS} WHERE w.key = ? AND d.fingerprint = ? AND r.format = ? AND r.failure IS NULL
        AND json_extract(r.comparison, '$.upper') <= ? ORDER BY json_extract(r.comparison, '$.ratio'), r.id LIMIT 1`, [workload, device, format, maxRatio]);
      return row && recordOf(row);
    }),
    records: (workload, device) => conn.read(async (sql) => {
      const rows = device === undefined
        ? await sql.all<RecordRow>(`${SELECT_RECORDS} WHERE w.key = ? ORDER BY r.id`, [workload])
        : await sql.all<RecordRow>(`${SELECT_RECORDS} WHERE w.key = ? AND d.fingerprint = ? ORDER BY r.id`, [workload, device]);
      return rows.map(recordOf);
    }),
    allRecords: async function* () {
      for (let after = 0; ;) {
        const rows = await conn.read((sql) => sql.all<RecordRow>(`${SELECT_RECORDS} WHERE r.id > ? ORDER BY r.id LIMIT 500`, [after]));
        if (rows.length === 0) return;
        yield* rows.map(recordOf);
        after = rows[rows.length - 1].id;
      }
    },
    devices: () => conn.read(async (sql) => (await sql.all<{ fingerprint: string; name: string; description: string }>('SELECT fingerprint, name, description FROM devices ORDER BY id'))
      .map((d) => ({ ...d, description: JSON.parse(d.description) }))),
    workloads: () => conn.read(async (sql) => (await sql.all<{ key: string; summary: string }>('SELECT key, summary FROM workloads ORDER BY id'))
      .map((w) => ({ key: w.key, summary: JSON.parse(w.summary) }))),
    loadTuningRun: (key) => conn.read((sql) => loadTuningRun(sql, key)),
    leaderboard: () => conn.read(leaderboard),
    integrityCheck: () => conn.read(async (sql) => (await sql.all<{ integrity_check: string }>('PRAGMA integrity_check')).map((r) => r.integrity_check)),
    close: () => conn.close(),
  };
}

/** Why a record cannot be stored, or null. */
export function recordProblem(r: NewRecord): string | null {
  if (!Number.isInteger(r.format)) return `its record format version ${String(r.format)} is not an integer`;
  if (r.failure !== null && !FAILURE_KINDS.includes(r.failure)) return `unknown failure kind '${String(r.failure)}' (expected one of ${FAILURE_KINDS.join(', ')})`;
  if (r.failure === null && !r.stats) return 'a record without a failure needs its timing';
  if (r.stats) {
    const { medianMs, minMs, maxMs, runs } = r.stats;
    if (![medianMs, minMs, maxMs].every(Number.isFinite) || !(minMs <= medianMs && medianMs <= maxMs)) return `its timing (min ${minMs}, median ${medianMs}, max ${maxMs} ms) is not ordered finite numbers`;
    if (!Number.isInteger(runs) || runs < 1) return `its number of runs ${runs} is not a positive integer`;
  }
  if (JSON.stringify(r.schedule) === undefined) return 'its schedule is not JSON';
  if (r.comparison) {
    const { ratio, upper, ratios } = r.comparison;
    if (!Array.isArray(ratios) || ratios.length === 0 || ![ratio, upper, ...ratios].every((x) => Number.isFinite(x) && x > 0)) {
      return 'its comparison needs a positive ratio, upper bound and a non-empty list of positive pair ratios';
    }
  }
  return null;
}

function writerOn(sql: Sql): TuningDbWriter {
  return {
    upsertDevice: (d) => upsertDevice(sql, d),
    upsertWorkload: (w) => upsertWorkload(sql, w),
    upsertModel: (m) => upsertModel(sql, m),
    addRecords: (rs) => addRecords(sql, rs),
    saveTuningRun: (run) => saveTuningRun(sql, run),
    addBench: (b) => addBench(sql, b),
  };
}

const now = (): string => new Date().toISOString();
const json = (value: unknown): string => JSON.stringify(value) ?? 'null';
/** SQLite stores NaN as NULL anyway; say so in the type. */
const real = (x: number | null | undefined): number | null => (x === undefined || x === null || Number.isNaN(x) ? null : x);

async function upsertDevice(sql: Sql, d: Device): Promise<void> {
  await sql.run('INSERT INTO devices (fingerprint, name, description) VALUES (?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET name = excluded.name, description = excluded.description',
    [d.fingerprint, d.name, json(d.description)]);
}

async function upsertWorkload(sql: Sql, w: Workload): Promise<void> {
  await sql.run('INSERT INTO workloads (key, summary) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET summary = excluded.summary', [w.key, json(w.summary)]);
}

async function upsertModel(sql: Sql, m: Model): Promise<void> {
  await sql.run('INSERT INTO models (key, name) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET name = excluded.name', [m.key, m.name]);
}

/** The row id of a key in a table of keyed things; a missing one is the caller's bug. */
async function idOf(sql: Sql, table: 'devices' | 'workloads' | 'models', key: string): Promise<number> {
  const column = table === 'devices' ? 'fingerprint' : 'key';
  const row = await sql.get<{ id: number }>(`SELECT id FROM ${table} WHERE ${column} = ?`, [key]);
  if (!row) throw new Error(`no ${table.slice(0, -1)} ${key} in the tuning database: upsert it before referring to it`);
  return row.id;
}

async function addRecords(sql: Sql, records: readonly NewRecord[]): Promise<number> {
  let added = 0;
  const ids = new Map<string, number>();
  const cached = async (table: 'workloads' | 'devices', key: string): Promise<number> => {
    if (!ids.has(`${table}/${key}`)) ids.set(`${table}/${key}`, await idOf(sql, table, key));
    return ids.get(`${table}/${key}`)!;
  };
  for (const r of records) {
    const problem = recordProblem(r);
    if (problem) throw new Error(`invalid tuning record: ${problem}`);
    const { changes } = await sql.run(
      `INSERT INTO records (workload, device, format, schedule, median_ms, min_ms, max_ms, runs, predicted_ms, failure, detail, max_error, tolerance, created_at, comparison)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [await cached('workloads', r.workload), await cached('devices', r.device), r.format, json(r.schedule), r.stats?.medianMs ?? null, r.stats?.minMs ?? null, r.stats?.maxMs ?? null, r.stats?.runs ?? 0,
        real(r.predictedMs), r.failure, r.detail ?? null, real(r.maxError), real(r.tolerance), r.createdAt ?? now(), r.comparison ? json(r.comparison) : null],
    );
    added += changes;
  }
  return added;
}

async function saveTuningRun(sql: Sql, run: TuningRun): Promise<void> {
  const at = now();
  await sql.run(
    `INSERT INTO tuning_runs (model, device, strategy, seed, status, trials, tuning_ms, state, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (model, device, strategy, seed) DO UPDATE SET status = excluded.status, trials = excluded.trials, tuning_ms = excluded.tuning_ms, state = excluded.state, updated_at = excluded.updated_at`,
    [await idOf(sql, 'models', run.model), await idOf(sql, 'devices', run.device), run.strategy, run.seed, run.status, run.trials, run.tuningMs, json(run.state), at, at],
  );
}

async function loadTuningRun(sql: Sql, key: TuningRunKey): Promise<StoredTuningRun | undefined> {
  const row = await sql.get<{ status: StoredTuningRun['status']; trials: number; tuning_ms: number; state: string; started_at: string; updated_at: string }>(
    `SELECT t.status, t.trials, t.tuning_ms, t.state, t.started_at, t.updated_at FROM tuning_runs t
     JOIN models m ON m.id = t.model JOIN devices d ON d.id = t.device
     WHERE m.key = ? AND d.fingerprint = ? AND t.strategy = ? AND t.seed = ?`,
    [key.model, key.device, key.strategy, key.seed],
  );
  return row && {
    ...key, status: row.status, trials: row.trials, tuningMs: row.tuning_ms, state: JSON.parse(row.state), startedAt: row.started_at, updatedAt: row.updated_at,
  };
}

async function addBench(sql: Sql, b: Bench): Promise<void> {
  const { lastId } = await sql.run('INSERT INTO benches (model, device, created_at) VALUES (?, ?, ?)',
    [await idOf(sql, 'models', b.model), await idOf(sql, 'devices', b.device), b.createdAt ?? now()]);
  for (const s of b.systems) {
    await sql.run('INSERT INTO bench_results (bench, system, median_ms, min_ms, max_ms, runs) VALUES (?, ?, ?, ?, ?, ?)', [lastId, s.system, s.medianMs, s.minMs, s.maxMs, s.runs]);
  }
}

const SELECT_RECORDS = `SELECT r.id, w.key AS workload, d.fingerprint AS device, r.format, r.schedule, r.median_ms, r.min_ms, r.max_ms, r.runs,
  r.predicted_ms, r.failure, r.detail, r.max_error, r.tolerance, r.created_at, r.comparison
  FROM records r JOIN workloads w ON w.id = r.workload JOIN devices d ON d.id = r.device`;

type RecordRow = Record<'workload' | 'device' | 'schedule' | 'created_at', string> & Record<'id' | 'format' | 'runs', number>
  & Record<'median_ms' | 'min_ms' | 'max_ms' | 'predicted_ms' | 'max_error' | 'tolerance', number | null>
  & { failure: TuningRecord['failure']; detail: string | null; comparison: string | null };

function recordOf(row: RecordRow): TuningRecord {
  return {
    id: row.id,
    workload: row.workload,
    device: row.device,
    format: row.format,
    schedule: JSON.parse(row.schedule),
    stats: row.median_ms === null ? null : { medianMs: row.median_ms, minMs: row.min_ms!, maxMs: row.max_ms!, runs: row.runs },
    predictedMs: row.predicted_ms,
    failure: row.failure,
    detail: row.detail,
    maxError: row.max_error,
    tolerance: row.tolerance,
    createdAt: row.created_at,
    ...(row.comparison === null ? {} : { comparison: JSON.parse(row.comparison) as Comparison }),
  };
}
