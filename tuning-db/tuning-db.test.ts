// The tuning database's API: commit, reopen, read back; the fastest valid record wins and any
// mismatch of device or record format is a miss; transactions keep all or nothing.

import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DEVICE, freshDbPath, OTHER_DEVICE, OTHER_WORKLOAD, sampleRecord, WORKLOAD } from './testing/samples.js';
import { openTuningDb, type TuningDb } from './tuning-db.js';
import type { NewRecord } from './types.js';

async function seeded(path = freshDbPath()): Promise<TuningDb> {
  const db = await openTuningDb(path);
  await db.upsertDevice(DEVICE);
  await db.upsertDevice(OTHER_DEVICE);
  await db.upsertWorkload(WORKLOAD);
  await db.upsertWorkload(OTHER_WORKLOAD);
  return db;
}

describe('tuning database', () => {
  it('keeps committed records across a reopen, every field as written', async () => {
    const path = freshDbPath();
    const db = await seeded(path);
    const written = [sampleRecord(0), sampleRecord(1, { failure: 'timeout', stats: null, detail: 'ran past 2000 ms', maxError: null, tolerance: null })];
    expect(await db.addRecords(written)).toBe(2);
    await db.close();

    const again = await openTuningDb(path, { create: false });
    const read = await again.records(WORKLOAD.key);
    expect(read.map(({ id: _, ...r }) => r)).toEqual([{ ...written[0], detail: null }, written[1]]);
    expect(await again.devices()).toEqual([DEVICE, OTHER_DEVICE]);
    expect(await again.workloads()).toEqual([WORKLOAD, OTHER_WORKLOAD]);
    expect(await again.integrityCheck()).toEqual(['ok']);
    await again.close();
  });

  it('finds the fastest valid record, never a failed one, and misses on another device or format', async () => {
    const db = await seeded();
    await db.addRecords([
      sampleRecord(1, { stats: { medianMs: 3, minMs: 2.9, maxMs: 3.5, runs: 7 } }),
      sampleRecord(2, { stats: { medianMs: 2, minMs: 1.9, maxMs: 2.2, runs: 7 } }),
      // Faster, but wrong: it must never be chosen.
      sampleRecord(3, { stats: { medianMs: 0.5, minMs: 0.5, maxMs: 0.6, runs: 7 }, failure: 'wrong-result', maxError: 0.3 }),
      sampleRecord(4, { failure: 'compile-error', stats: null, detail: 'bad WGSL' }),
      sampleRecord(5, { device: OTHER_DEVICE.fingerprint, stats: { medianMs: 0.1, minMs: 0.1, maxMs: 0.1, runs: 3 } }),
      sampleRecord(6, { format: 2, stats: { medianMs: 0.2, minMs: 0.2, maxMs: 0.2, runs: 3 } }),
    ]);
    const best = await db.best(WORKLOAD.key, DEVICE.fingerprint, 1);
    expect(best?.stats?.medianMs).toBe(2);
    expect(best?.schedule).toEqual(sampleRecord(2).schedule);
    expect((await db.best(WORKLOAD.key, OTHER_DEVICE.fingerprint, 1))?.stats?.medianMs).toBe(0.1);
    expect((await db.best(WORKLOAD.key, DEVICE.fingerprint, 2))?.stats?.medianMs).toBe(0.2);
    expect(await db.best(WORKLOAD.key, DEVICE.fingerprint, 3)).toBeUndefined();
    expect(await db.best(WORKLOAD.key, 'd'.repeat(64), 1)).toBeUndefined();
    expect(await db.best(OTHER_WORKLOAD.key, DEVICE.fingerprint, 1)).toBeUndefined();
    expect(await db.records(WORKLOAD.key, OTHER_DEVICE.fingerprint)).toHaveLength(1);
    expect(await db.records(WORKLOAD.key)).toHaveLength(6);
    await db.close();
  });

  it('keeps comparisons with the default and finds the record that beat it most', async () => {
    const path = freshDbPath();
    const db = await seeded(path);
    // The median and, standing in for the confidence bound, the largest ratio.
    const compared = (i: number, ratios: number[], change: Partial<NewRecord> = {}): NewRecord =>
      sampleRecord(i, { comparison: { ratio: [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)], upper: Math.max(...ratios), ratios }, ...change });
    await db.addRecords([
      // The fastest alone, but never compared: not evidence of a win.
      sampleRecord(1, { stats: { medianMs: 0.5, minMs: 0.5, maxMs: 0.6, runs: 7 } }),
      compared(2, [0.8, 0.7, 0.75]),
      compared(3, [0.9, 0.95, 0.85]),
      // The smallest median, but its bound does not exclude a loss: not a win.
      compared(7, [0.5, 0.4, 1.5]),
      // A lost comparison and a wrong result: never chosen.
      compared(4, [1.2, 1.1, 1.3]),
      compared(5, [0.2, 0.2, 0.2], { failure: 'wrong-result', maxError: 0.5 }),
    ]);
    await db.close();
    const again = await openTuningDb(path, { create: false });
    const best = await again.bestCompared(WORKLOAD.key, DEVICE.fingerprint, 1, 0.97);
    expect(best?.schedule).toEqual(sampleRecord(2).schedule);
    expect(best?.comparison).toEqual({ ratio: 0.75, upper: 0.8, ratios: [0.8, 0.7, 0.75] });
    expect(await again.bestCompared(WORKLOAD.key, DEVICE.fingerprint, 1, 0.75)).toBeUndefined();
    expect(await again.bestCompared(WORKLOAD.key, OTHER_DEVICE.fingerprint, 1, 0.97)).toBeUndefined();
    expect((await again.records(WORKLOAD.key)).filter((r) => r.comparison === undefined)).toHaveLength(1);
    await expect(again.addRecords([compared(6, [])])).rejects.toThrow(/comparison needs a positive ratio, upper bound/);
    await again.close();
  });

  it('writes all of a transaction or none of it', async () => {
    const db = await seeded();
    await expect(db.write(async (w) => {
      await w.addRecords([sampleRecord(1)]);
      await w.addRecords([sampleRecord(2, { workload: 'c'.repeat(64) })]);
    })).rejects.toThrow(/no workload c+ in the tuning database/);
    expect(await db.records(WORKLOAD.key)).toEqual([]);
    await expect(db.addRecords([sampleRecord(1), sampleRecord(2, { stats: null })])).rejects.toThrow(/needs its timing/);
    await expect(db.addRecords([sampleRecord(1, { stats: { medianMs: 1, minMs: 2, maxMs: 3, runs: 7 } })])).rejects.toThrow(/not ordered/);
    expect(await db.records(WORKLOAD.key)).toEqual([]);
    await db.close();
  });

  it('serializes concurrent writers on one connection and does not add a record twice', async () => {
    const db = await seeded();
    const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 5 }, (_, i) => sampleRecord(b * 5 + i)));
    const added = await Promise.all(batches.map((batch) => db.addRecords(batch)));
    expect(added.reduce((a, b) => a + b)).toBe(100);
    expect(await db.addRecords(batches[3])).toBe(0);
    expect(await db.records(WORKLOAD.key)).toHaveLength(100);
    await db.close();
  });

  it('lets two connections to one file write at once: each waits for the other\'s lock', async () => {
    const path = freshDbPath();
    const [a, b] = [await seeded(path), await openTuningDb(path)];
    const writes = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).addRecords([sampleRecord(i)]));
    expect((await Promise.all(writes)).every((n) => n === 1)).toBe(true);
    expect(await b.records(WORKLOAD.key)).toHaveLength(40);
    await Promise.all([a.close(), b.close()]);
  });

  it('saves and resumes a tuning run, keeping when it started', async () => {
    const db = await seeded();
    await db.upsertModel({ key: 'm1', name: 'mobilenet-v2.onnx' });
    const key = { model: 'm1', device: DEVICE.fingerprint, strategy: 'evolutionary', seed: 7 };
    expect(await db.loadTuningRun(key)).toBeUndefined();
    await db.saveTuningRun({ ...key, status: 'running', trials: 16, tuningMs: 1000, state: { population: [[1, 2]], rng: { i: 3, j: 4, S: [5] } } });
    const first = (await db.loadTuningRun(key))!;
    await new Promise((r) => setTimeout(r, 5));
    await db.saveTuningRun({ ...key, status: 'interrupted', trials: 32, tuningMs: 2500, state: { population: [[3]], rng: { i: 9 } } });
    const resumed = (await db.loadTuningRun(key))!;
    expect(resumed).toMatchObject({ ...key, status: 'interrupted', trials: 32, tuningMs: 2500, state: { population: [[3]], rng: { i: 9 } } });
    expect(resumed.startedAt).toBe(first.startedAt);
    expect(resumed.updatedAt > first.updatedAt).toBe(true);
    expect(await db.loadTuningRun({ ...key, seed: 8 })).toBeUndefined();
    await db.close();
  });

  it('ranks models on the leaderboard from the last bench and the tuning runs', async () => {
    const db = await seeded();
    await db.upsertModel({ key: 'm1', name: 'bert-layer' });
    await db.upsertModel({ key: 'm2', name: 'unet' });
    const timing = (medianMs: number) => ({ medianMs, minMs: medianMs, maxMs: medianMs, runs: 7 });
    await db.addBench({ model: 'm1', device: DEVICE.fingerprint, createdAt: '2025-01-01T00:00:00.000Z', systems: [{ system: 'freight', ...timing(9) }, { system: 'freight-untuned', ...timing(10) }] });
    await db.addBench({
      model: 'm1', device: DEVICE.fingerprint, createdAt: '2025-01-02T00:00:00.000Z',
      systems: [{ system: 'freight', ...timing(4) }, { system: 'freight-untuned', ...timing(10) }, { system: 'ort-webgpu', ...timing(6) }, { system: 'ort-cpu', ...timing(3) }],
    });
    for (const seed of [1, 2]) await db.saveTuningRun({ model: 'm1', device: DEVICE.fingerprint, strategy: 'random', seed, status: 'finished', trials: 64, tuningMs: 1500, state: null });
    await db.saveTuningRun({ model: 'm2', device: OTHER_DEVICE.fingerprint, strategy: 'beam', seed: 0, status: 'running', trials: 8, tuningMs: 100, state: null });

    expect(await db.leaderboard()).toEqual([
      {
        model: 'm1', modelName: 'bert-layer', device: DEVICE.fingerprint, deviceName: DEVICE.name,
        tunedMs: 4, untunedMs: 10, ortWebgpuMs: 6, speedupVsUntuned: 2.5, speedupVsOrt: 1.5, trials: 128, tuningMs: 3000, benchedAt: '2025-01-02T00:00:00.000Z',
      },
      {
        model: 'm2', modelName: 'unet', device: OTHER_DEVICE.fingerprint, deviceName: OTHER_DEVICE.name,
        tunedMs: null, untunedMs: null, ortWebgpuMs: null, speedupVsUntuned: null, speedupVsOrt: null, trials: 8, tuningMs: 100, benchedAt: null,
      },
    ]);
    await db.close();
  });

  it('refuses a missing file when asked not to create one', async () => {
    const path = freshDbPath();
    await expect(openTuningDb(path, { create: false })).rejects.toThrow(`there is no tuning database at ${path}`);
  });

  it('refuses to open in a worker thread, whose termination would crash the process', async () => {
    const worker = new Worker(new URL('./testing/open-in-worker.mjs', import.meta.url), { workerData: freshDbPath() });
    const message = await new Promise((resolve, reject) => worker.on('message', resolve).on('error', reject));
    await worker.terminate();
    expect(message).toBe('the tuning database may only be opened on the main thread');
  });
});
