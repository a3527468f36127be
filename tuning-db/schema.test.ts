// Opening files of every kind: new, older, newer, another program's, not a database, corrupt. A
// file freight cannot use is refused with one sentence naming it and is left byte for byte as it was.

import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FreightError } from '../ir/errors.js';
import { connect } from './connection.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { DEVICE, freshDbPath, sampleRecord, WORKLOAD } from './testing/samples.js';
import { openTuningDb } from './tuning-db.js';

/** Runs SQL on a file directly, as another program (or an older freight) would. */
async function onFile(path: string, sql: string): Promise<void> {
  const conn = await connect(path);
  await conn.read((s) => s.exec(sql));
  await conn.close();
}

async function pragma(path: string, name: string): Promise<unknown> {
  const conn = await connect(path);
  const row = await conn.read((s) => s.get<Record<string, unknown>>(`PRAGMA ${name}`));
  await conn.close();
  return row?.[name];
}

/** Opening must fail with a FreightError matching `message` and leave the file's bytes unchanged. */
async function expectRefused(path: string, message: RegExp): Promise<void> {
  const before = readFileSync(path);
  const error = await openTuningDb(path).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(FreightError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).toContain(path);
  expect(readFileSync(path).equals(before)).toBe(true);
}

describe('tuning database schema', () => {
  it('creates a new file at the latest version, in WAL mode, marked as freight\'s', async () => {
    const path = freshDbPath();
    await (await openTuningDb(path)).close();
    expect(await pragma(path, 'user_version')).toBe(SCHEMA_VERSION);
    expect(await pragma(path, 'application_id')).toBe(APPLICATION_ID);
    expect(await pragma(path, 'journal_mode')).toBe('wal');
  });

  it('migrates a file of the first version without losing its records', async () => {
    const path = freshDbPath();
    // What freight's first schema wrote: migration 1 only, with a device, a workload and a record.
    await onFile(path, `${MIGRATIONS[0]};
      INSERT INTO devices (fingerprint, name, description) VALUES ('${DEVICE.fingerprint}', '${DEVICE.name}', '${JSON.stringify(DEVICE.description)}');
      INSERT INTO workloads (key, summary) VALUES ('${WORKLOAD.key}', '${JSON.stringify(WORKLOAD.summary)}');
      INSERT INTO records (workload, device, format, schedule, median_ms, min_ms, max_ms, runs, predicted_ms, failure, detail, max_error, tolerance, created_at)
        VALUES (1, 1, 1, '{"v":1,"steps":[]}', 2.5, 2.4, 2.9, 7, 2.0, NULL, NULL, 0.00001, 0.0001, '2025-01-01T00:00:00.000Z');
      PRAGMA user_version = 1;`);
    expect(await pragma(path, 'user_version')).toBe(1);

    const db = await openTuningDb(path);
    expect(await pragma(path, 'user_version')).toBe(SCHEMA_VERSION);
    expect(await db.best(WORKLOAD.key, DEVICE.fingerprint, 1)).toEqual({
      id: 1, workload: WORKLOAD.key, device: DEVICE.fingerprint, format: 1, schedule: { v: 1, steps: [] },
      stats: { medianMs: 2.5, minMs: 2.4, maxMs: 2.9, runs: 7 }, predictedMs: 2, failure: null, detail: null,
      maxError: 0.00001, tolerance: 0.0001, createdAt: '2025-01-01T00:00:00.000Z',
    });
    // The tables of version 2 work on the migrated file.
    await db.upsertModel({ key: 'm', name: 'resnet' });
    await db.saveTuningRun({ model: 'm', device: DEVICE.fingerprint, strategy: 'random', seed: 0, status: 'running', trials: 1, tuningMs: 1, state: {} });
    expect(await db.integrityCheck()).toEqual(['ok']);
    await db.close();
  });

  it('refuses a file of a newer freight', async () => {
    const path = freshDbPath();
    await (await openTuningDb(path)).close();
    await onFile(path, `PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    await expectRefused(path, new RegExp(`written by a newer freight \\(schema version ${SCHEMA_VERSION + 1}; this freight reads up to ${SCHEMA_VERSION}\\)`));
  });

  it('refuses another program\'s SQLite file', async () => {
    const path = freshDbPath();
    await onFile(path, 'CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES (\'mine\')');
    await expectRefused(path, /is an SQLite file but not a freight tuning database/);
  });

  it('refuses a file that is not a database, without touching it', async () => {
    const path = freshDbPath();
    writeFileSync(path, 'these are the notes of a user who mistyped --db, not a database\n'.repeat(100));
    await expectRefused(path, /is not a tuning database \(not an SQLite file\)/);
  });

  it('refuses a corrupt database, without touching it', async () => {
    const path = freshDbPath();
    const db = await openTuningDb(path);
    await db.upsertDevice(DEVICE);
    await db.upsertWorkload(WORKLOAD);
    await db.addRecords([sampleRecord(0)]);
    await db.close();
    // The schema lives on page 1 after the 100-byte header: scribble over its cell content.
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    for (let i = pageSize - 600; i < pageSize; i++) bytes[i] = 0xa5;
    writeFileSync(path, bytes);
    await expectRefused(path, /the tuning database .* is corrupt; move it aside/);
  });
});
