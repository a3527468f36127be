// One SQLite connection (the `sqlite3` package) behind promises. Callers take turns: each read or
// write runs alone on the connection, so the statements of one transaction never interleave with
// another caller's. Writes run in `BEGIN IMMEDIATE` transactions, which take the write lock up
// front (waiting up to the busy timeout for other processes) instead of failing at the first write.
// SQLite's errors about the file itself — not a database, corrupt, locked, unopenable, disk full —
// become one FreightError sentence naming the file; any other error is a bug and passes through.

import sqlite3 from 'sqlite3';
import { FreightError } from '../ir/errors.js';

export type SqlValue = string | number | null;

/** The statements a read or write may run. */
export interface Sql {
  run(sql: string, params?: readonly SqlValue[]): Promise<{ readonly lastId: number; readonly changes: number }>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
}

export interface Connection {
  readonly path: string;
  read<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** `work` in one BEGIN IMMEDIATE transaction: all of it is committed, or none. */
  write<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** How long a write waits for another process's lock before giving up. */
export const BUSY_TIMEOUT_MS = 10_000;

export async function connect(path: string): Promise<Connection> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(path, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (e) => (e ? reject(fileError(path, e)) : resolve(d)));
  });
  db.configure('busyTimeout', BUSY_TIMEOUT_MS);
  const sql = statements(db, path);
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => {});
    return result;
  };
  return {
    path,
    read: (work) => inTurn(() => work(sql)),
    write: (work) => inTurn(async () => {
      await sql.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(sql);
        await sql.exec('COMMIT');
        return result;
      } catch (e) {
        // SQLite may already have rolled back (e.g. on SQLITE_FULL); then ROLLBACK fails harmlessly.
        await sql.exec('ROLLBACK').catch(() => {});
        throw e;
      }
    }),
    close: () => inTurn(() => new Promise<void>((resolve, reject) => db.close((e) => (e ? reject(fileError(path, e)) : resolve())))),
  };
}

function statements(db: sqlite3.Database, path: string): Sql {
  const settle = <T>(resolve: (v: T) => void, reject: (e: unknown) => void) => (e: Error | null, v: T): void => {
    if (e) reject(fileError(path, e));
    else resolve(v);
  };
  return {
    run: (text, params = []) => new Promise((resolve, reject) => {
      db.run(text, params, function (this: sqlite3.RunResult, e: Error | null) {
        settle(resolve, reject)(e, { lastId: this?.lastID, changes: this?.changes });
      });
    }),
    get: <T>(text: string, params: readonly SqlValue[] = []) => new Promise<T | undefined>((resolve, reject) => {
      db.get(text, params, settle(resolve, reject));
    }),
    all: <T>(text: string, params: readonly SqlValue[] = []) => new Promise<T[]>((resolve, reject) => {
      db.all(text, params, settle(resolve, reject));
    }),
    exec: (text) => new Promise((resolve, reject) => {
      db.exec(text, (e) => settle(resolve, reject)(e, undefined));
    }),
  };
}

/** SQLite's complaints about the file, as sentences a user can act on. */
const FILE_ERRORS: Readonly<Record<string, (path: string) => string>> = {
  SQLITE_NOTADB: (p) => `${p} is not a tuning database (not an SQLite file); pass another file with --db or move it aside`,
  SQLITE_CORRUPT: (p) => `the tuning database ${p} is corrupt; move it aside (freight starts a new one) or restore it from a 'freight db export'`,
  SQLITE_CANTOPEN: (p) => `cannot open the tuning database ${p}: check that its folder exists and is writable`,
  SQLITE_BUSY: (p) => `the tuning database ${p} stayed locked by another process for ${BUSY_TIMEOUT_MS / 1000} s`,
  SQLITE_FULL: (p) => `cannot write the tuning database ${p}: the disk is full`,
  SQLITE_READONLY: (p) => `cannot write the tuning database ${p}: it is read-only`,
  SQLITE_IOERR: (p) => `cannot read or write the tuning database ${p}: an I/O error occurred`,
};

function fileError(path: string, e: Error): Error {
  const sentence = FILE_ERRORS[(e as { code?: string }).code ?? ''];
  return sentence ? new FreightError(sentence(path), { cause: e }) : e;
}
