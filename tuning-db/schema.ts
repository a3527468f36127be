// The tuning database's schema and its migrations. `PRAGMA user_version` is the number of
// migrations applied; opening a file applies the missing ones in one transaction, so a file of an
// older freight is upgraded in place with its data, and a file of a newer freight is refused.
// `PRAGMA application_id` marks the file as freight's, so that another program's SQLite file is
// refused rather than filled with our tables.
//
// Tables (STRICT; times are ISO 8601 text; JSON columns hold plain JSON text):
//   devices       fingerprint (unique, sha256 of adapter identity + driver), name, description JSON
//   workloads     key (unique, sha256 of the canonical kernel), summary JSON ({ops, shapes})
//   records       workload, device, format (record format version), schedule JSON,
//                 median/min/max ms + runs (required unless failed), predicted_ms, failure
//                 (compile-error | runtime-error | wrong-result | timeout | device-lost, or NULL),
//                 detail, max_error + tolerance (correctness evidence), created_at, comparison
//                 JSON (paired timing against the default schedule, or NULL).
//                 A record is found by (workload, device, format): any mismatch is a miss.
//                 (workload, device, format, schedule, created_at) is unique, so that importing
//                 the same export twice adds nothing.
//   models        key (unique, chosen by the caller: model bytes + bound shapes), name
//   tuning_runs   model, device, strategy, seed (unique together), status, trials, tuning_ms,
//                 state JSON (search's strategy, RNG and scheduler state), started_at, updated_at
//   benches       model, device, created_at: one `freight bench` run
//   bench_results bench, system (freight, freight-untuned, ort-webgpu, ...), median/min/max ms, runs

import { FreightError } from '../ir/errors.js';
import type { Connection, Sql } from './connection.js';

/** 'FRTD': freight tuning database. */
export const APPLICATION_ID = 0x46525444;

/** Migration i takes a file from version i to version i + 1. Append only: never edit a released step. */
export const MIGRATIONS: readonly string[] = [
  // 1: devices, workloads and measured records.
  `CREATE TABLE devices (
     id INTEGER PRIMARY KEY,
     fingerprint TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     description TEXT NOT NULL
   ) STRICT;
   CREATE TABLE workloads (
     id INTEGER PRIMARY KEY,
     key TEXT NOT NULL UNIQUE,
     summary TEXT NOT NULL
   ) STRICT;
   CREATE TABLE records (
     id INTEGER PRIMARY KEY,
     workload INTEGER NOT NULL REFERENCES workloads(id),
     device INTEGER NOT NULL REFERENCES devices(id),
     format INTEGER NOT NULL,
     schedule TEXT NOT NULL,
     median_ms REAL,
     min_ms REAL,
     max_ms REAL,
     runs INTEGER NOT NULL,
     predicted_ms REAL,
     failure TEXT CHECK (failure IN ('compile-error', 'runtime-error', 'wrong-result', 'timeout', 'device-lost')),
     detail TEXT,
     max_error REAL,
     tolerance REAL,
     created_at TEXT NOT NULL,
     CHECK (failure IS NOT NULL OR (median_ms IS NOT NULL AND min_ms IS NOT NULL AND max_ms IS NOT NULL AND runs > 0)),
     UNIQUE (workload, device, format, schedule, created_at)
   ) STRICT;
   CREATE INDEX records_valid ON records (workload, device, format, median_ms) WHERE failure IS NULL;
   PRAGMA application_id = ${APPLICATION_ID};`,
  // 2: what resuming a tuning run and the leaderboard need.
  `CREATE TABLE models (
     id INTEGER PRIMARY KEY,
     key TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL
   ) STRICT;
   CREATE TABLE tuning_runs (
     id INTEGER PRIMARY KEY,
     model INTEGER NOT NULL REFERENCES models(id),
     device INTEGER NOT NULL REFERENCES devices(id),
     strategy TEXT NOT NULL,
     seed INTEGER NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'interrupted', 'finished')),
     trials INTEGER NOT NULL,
     tuning_ms REAL NOT NULL,
     state TEXT NOT NULL,
     started_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (model, device, strategy, seed)
   ) STRICT;
   CREATE TABLE benches (
     id INTEGER PRIMARY KEY,
     model INTEGER NOT NULL REFERENCES models(id),
     device INTEGER NOT NULL REFERENCES devices(id),
     created_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX benches_last ON benches (model, device, id);
   CREATE TABLE bench_results (
     bench INTEGER NOT NULL REFERENCES benches(id),
     system TEXT NOT NULL,
     median_ms REAL NOT NULL,
     min_ms REAL NOT NULL,
     max_ms REAL NOT NULL,
     runs INTEGER NOT NULL,
     PRIMARY KEY (bench, system)
   ) STRICT;`,
  // 3: a record's paired comparison with its workload's default schedule.
  'ALTER TABLE records ADD COLUMN comparison TEXT;',
];

export const SCHEMA_VERSION = MIGRATIONS.length;

interface Header {
  readonly version: number;
  readonly applicationId: number;
  readonly tables: number;
}

/**
 * Checks that the file is freight's (or empty) and not newer than this freight, then applies the
 * missing migrations. Reads come first: a file that is not a database or is corrupt fails before
 * anything is written to it.
 */
export async function migrate(conn: Connection): Promise<void> {
  const header = await conn.read(readHeader);
  checkHeader(conn.path, header);
  await conn.read((sql) => sql.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON'));
  if (header.version === SCHEMA_VERSION) return;
  await conn.write(async (sql) => {
    // Another process may have migrated the file while this one waited for the lock.
    const now = await readHeader(sql);
    checkHeader(conn.path, now);
    for (const step of MIGRATIONS.slice(now.version)) await sql.exec(step);
    await sql.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  });
}

async function readHeader(sql: Sql): Promise<Header> {
  const version = await sql.get<{ user_version: number }>('PRAGMA user_version');
  const app = await sql.get<{ application_id: number }>('PRAGMA application_id');
  // Reading the schema parses every table's definition: a damaged first page fails here.
  const tables = await sql.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'");
  return { version: version!.user_version, applicationId: app!.application_id, tables: tables!.n };
}

function checkHeader(path: string, h: Header): void {
  const ours = h.applicationId === APPLICATION_ID || (h.applicationId === 0 && h.version === 0 && h.tables === 0);
  if (!ours) throw new FreightError(`${path} is an SQLite file but not a freight tuning database; pass another file with --db`);
  if (h.version > SCHEMA_VERSION) {
    throw new FreightError(`the tuning database ${path} was written by a newer freight (schema version ${h.version}; this freight reads up to ${SCHEMA_VERSION}); upgrade freight or pass another file with --db`);
  }
}
