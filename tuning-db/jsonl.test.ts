// Export and import as JSON lines: a round trip keeps every record; a torn last line is skipped
// with a warning; any other bad line names itself and nothing is imported.

import { describe, expect, it } from 'vitest';
import { exportLines, importLines, parseExport } from './jsonl.js';
import { DEVICE, freshDbPath, OTHER_DEVICE, sampleRecord, WORKLOAD } from './testing/samples.js';
import { openTuningDb, type TuningDb } from './tuning-db.js';
import type { TuningRecord } from './types.js';

async function exported(db: TuningDb): Promise<string> {
  let text = '';
  for await (const line of exportLines(db)) text += line;
  return text;
}

const withoutIds = (rs: readonly TuningRecord[]): unknown[] => rs.map(({ id: _, ...r }) => r);

async function source(): Promise<{ db: TuningDb; text: string }> {
  const db = await openTuningDb(freshDbPath());
  await db.upsertDevice(DEVICE);
  await db.upsertDevice(OTHER_DEVICE);
  await db.upsertWorkload(WORKLOAD);
  // More than one page of allRecords, failures, comparisons and NaN evidence included.
  await db.addRecords(Array.from({ length: 600 }, (_, i) => sampleRecord(i, i % 10 === 3 ? { failure: 'runtime-error', stats: null, detail: `trial ${i}` }
    : i % 10 === 4 ? { comparison: { ratio: 0.9, upper: 0.95, ratios: [0.9, 0.85, 0.95] } } : {})));
  await db.addRecords([sampleRecord(0, { device: OTHER_DEVICE.fingerprint, maxError: NaN })]);
  return { db, text: await exported(db) };
}

describe('tuning database export and import', () => {
  it('round-trips every device, workload and record, and does not add records twice', async () => {
    const { db, text } = await source();
    const lines = text.trimEnd().split('\n');
    expect(JSON.parse(lines[0])).toEqual({ format: 'freight-tuning-db', version: 1 });
    expect(lines).toHaveLength(1 + 2 + 1 + 601);

    const copy = await openTuningDb(freshDbPath());
    const warnings: string[] = [];
    expect(await importLines(copy, text, 'dump.jsonl', (m) => warnings.push(m))).toEqual({ devices: 2, workloads: 1, added: 601, duplicates: 0 });
    expect(warnings).toEqual([]);
    expect(withoutIds(await copy.records(WORKLOAD.key))).toEqual(withoutIds(await db.records(WORKLOAD.key)));
    expect(await copy.devices()).toEqual(await db.devices());
    expect(await copy.workloads()).toEqual(await db.workloads());
    expect(await exported(copy)).toBe(text);

    expect(await importLines(copy, text, 'dump.jsonl', () => {})).toMatchObject({ added: 0, duplicates: 601 });
    await Promise.all([db.close(), copy.close()]);
  });

  it('skips a torn last line with a warning naming it', async () => {
    const { db, text } = await source();
    const torn = text.slice(0, text.length - 40);
    const lastLine = torn.split('\n').length;
    const copy = await openTuningDb(freshDbPath());
    const warnings: string[] = [];
    expect(await importLines(copy, torn, 'dump.jsonl', (m) => warnings.push(m))).toMatchObject({ added: 600 });
    expect(warnings).toEqual([`dump.jsonl line ${lastLine} is cut short (an interrupted export?); skipped it`]);
    await Promise.all([db.close(), copy.close()]);
  });

  it('refuses any other bad line by its number and imports nothing', async () => {
    const { db, text } = await source();
    const lines = text.split('\n');
    const cases: [number, string, RegExp][] = [
      [5, '{"kind":"record",', /^dump\.jsonl line 6 is not JSON$/],
      [5, '{"kind":"measurement"}', /^dump\.jsonl line 6: unknown kind "measurement"/],
      [5, lines[5].replace('"failure":null', '"failure":"crashed"'), /^dump\.jsonl line 6: "failure" must be null or one of compile-error/],
      [5, lines[5].replace(/"stats":\{[^}]*\}/, '"stats":null'), /^dump\.jsonl line 6: the record is invalid: a record without a failure needs its timing$/],
      [5, lines[5].replace(WORKLOAD.key, 'c'.repeat(64)), /^dump\.jsonl line 6: the record's workload c+ has no workload line before it$/],
      [0, '{"format":"freight-tuning-db","version":2}', /^dump\.jsonl was exported by a newer freight \(export version 2; this freight reads up to 1\)$/],
      [0, '{"format":"something-else"}', /^dump\.jsonl is not a freight tuning database export/],
    ];
    const copy = await openTuningDb(freshDbPath());
    for (const [at, replacement, message] of cases) {
      const bad = lines.map((l, i) => (i === at ? replacement : l)).join('\n');
      await expect(importLines(copy, bad, 'dump.jsonl', () => {})).rejects.toThrow(message);
    }
    expect(await copy.records(WORKLOAD.key)).toEqual([]);
    expect(await copy.devices()).toEqual([]);
    await Promise.all([db.close(), copy.close()]);
  });

  it('calls a bad last line that ends in a newline bad, not torn: a cut never leaves one', () => {
    const text = '{"format":"freight-tuning-db","version":1}\n{"kind":"dev\n';
    expect(() => parseExport(text, 'x.jsonl', () => {})).toThrow('x.jsonl line 2 is not JSON');
    expect(() => parseExport('', 'x.jsonl', () => {})).toThrow('x.jsonl is empty');
  });
});
