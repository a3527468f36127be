// `freight cost --db` without a GPU (a saved profile names the device): the predictions are
// calibrated on the database's valid records of the model's workloads on that device, and only on
// those; a database that is not there is an error naming it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { COST_MODELS } from '../../cost-model/index.js';
import { workloadKey } from '../../ir/canonical.js';
import type { Kernel } from '../../ir/program.js';
import { planProgram } from '../../kernels/plan/compile-plan.js';
import type { DeviceProfile } from '../../kernels/profile/index.js';
import { mapSite, resolveSchedule, type ScheduleStep } from '../../kernels/schedule.js';
import { targetOf } from '../../kernels/target.js';
import { openTuningDb, type NewRecord } from '../../tuning-db/index.js';
import { freshDbPath } from '../../tuning-db/testing/samples.js';
import { loadModel, lowerModel } from '../model.js';
import { costModel, costProfileOf } from './cost.js';

const resnet = fileURLToPath(new URL('../../examples/resnet.onnx', import.meta.url));
const shapes = { input: [1, 3, 32, 32] };
const fingerprint = 'c'.repeat(64);
const saved = {
  device: { name: 'test-gpu', kind: 'hardware', fingerprint }, copyGBps: 100, fmaGflops: 1000, dispatchUs: 10, workgroupMemoryGBps: 500, limits: {}, features: [],
} as unknown as DeviceProfile;

let db: string;
let profileFile: string;
let workloads: number;

beforeAll(async () => {
  db = freshDbPath();
  profileFile = join(db, '..', 'profile.json');
  writeFileSync(profileFile, JSON.stringify(saved));
  // Every workload measured three times slower than the analytic model predicts it, under its
  // default schedule and under workgroups of 64.
  const fused = planProgram(lowerModel(loadModel(resnet, { shapes })), {});
  const target = targetOf({ kind: 'hardware', limits: {} });
  const firstOf = new Map<string, Kernel>();
  for (const k of fused.kernels) if (!firstOf.has(workloadKey(fused, k))) firstOf.set(workloadKey(fused, k), k);
  workloads = firstOf.size;
  const record = (workload: string, steps: ScheduleStep[], medianMs: number, change: Partial<NewRecord> = {}): NewRecord => ({
    workload, device: fingerprint, format: 1, schedule: { v: 1, steps }, stats: { medianMs, minMs: medianMs, maxMs: medianMs, runs: 5 },
    predictedMs: null, failure: null, maxError: 0, tolerance: 1e-4, ...change,
  });
  const records: NewRecord[] = [];
  for (const [key, k] of firstOf) {
    for (const steps of [[], [{ t: 'workgroup-size', at: '@', p: { size: 64 } }]] as ScheduleStep[][]) {
      const s = resolveSchedule(fused, { v: 1, steps: steps.map((x) => ({ ...x, at: k.id })) }, target);
      const predictedMs = COST_MODELS.analytic.costKernel(fused, k, k.maps.map((_, i) => s.get(mapSite(k.id, i))!), costProfileOf(saved)).predictedMs;
      records.push(record(key, steps, 3 * predictedMs));
    }
    // None of these may count: a failure, another device's record, a schedule that no longer resolves.
    records.push(record(key, [], 1000, { failure: 'wrong-result' }));
    records.push(record(key, [], 1000, { device: 'd'.repeat(64) }));
    records.push(record(key, [{ t: 'register-block', at: '@', p: { dim: 'nope', size: 4 } }], 1000));
  }
  const tuning = await openTuningDb(db);
  for (const f of [fingerprint, 'd'.repeat(64)]) await tuning.upsertDevice({ fingerprint: f, name: f.slice(0, 4), description: null });
  for (const key of firstOf.keys()) await tuning.upsertWorkload({ key, summary: null });
  await tuning.addRecords(records);
  await tuning.close();
}, 60_000);

describe('freight cost --db', () => {
  it('calibrates on the valid records of this device: three times the analytic prediction', async () => {
    const analytic = await costModel(resnet, { shapes, profileFile });
    const calibrated = await costModel(resnet, { shapes, profileFile, db });
    expect(analytic.calibration).toEqual({ calibrated: false, why: 'no --db' });
    expect(calibrated.calibration).toEqual({ calibrated: true, records: 2 * workloads, workloads });
    expect(calibrated.note).toBeUndefined();
    calibrated.kernels.forEach((k, i) => {
      expect(k.id).toBe(analytic.kernels[i].id);
      expect(k.predictedMs / analytic.kernels[i].predictedMs).toBeCloseTo(3, 6);
      expect(k.bytesMoved).toBe(analytic.kernels[i].bytesMoved);
    });
  });

  it('says why when the database has no records of this device', async () => {
    const other = join(db, '..', 'other-profile.json');
    writeFileSync(other, JSON.stringify({ ...saved, device: { ...saved.device, fingerprint: 'e'.repeat(64), name: 'other-gpu' } }));
    const r = await costModel(resnet, { shapes, profileFile: other, db });
    expect(r.calibration).toEqual({ calibrated: false, why: `${db} has no valid records of this model's kernels on other-gpu` });
    expect(r.note).toBe(`not calibrated: ${db} has no valid records of this model's kernels on other-gpu`);
  });

  it('refuses a database that is not there, naming it', async () => {
    const missing = join(db, '..', 'missing.db');
    await expect(costModel(resnet, { shapes, profileFile, db: missing })).rejects.toThrow(`there is no tuning database at ${missing}`);
  });
});
