// The tuning loop's measurements: the default is measured first as every task's baseline, each
// candidate that came near it alone is compared with it pair by pair and the record keeps the
// evidence, and a task's best is the default unless a comparison bounded a win.

import { describe, expect, it } from 'vitest';
import { NOMINAL_PROFILE } from '../cost-model/index.js';
import { fuseProgram } from '../ir/fusion/index.js';
import { openDevice } from '../kernels/gpu/device.js';
import { RECORD_FORMAT } from '../kernels/record-format.js';
import type { Schedule } from '../kernels/schedule.js';
import { targetOf } from '../kernels/target.js';
import { freshDbPath } from '../tuning-db/testing/samples.js';
import { openTuningDb } from '../tuning-db/index.js';
import { WIN_RATIO } from './compare-with-default.js';
import { gemmBiasRelu } from '../transform-space/test-programs.js';
import { tuningTasks } from './task.js';
import { COMPARE_WITHIN, tune } from './tuner.js';

describe('tune', () => {
  it('compares candidates with the default and keeps the evidence in their records', async () => {
    const gpu = await openDevice({ warn: () => {} });
    const tasks = tuningTasks(fuseProgram(gemmBiasRelu(32, 32, 64)).program);
    const db = await openTuningDb(freshDbPath());
    await db.upsertDevice({ fingerprint: gpu.fingerprint, name: gpu.name, description: null });
    await db.upsertModel({ key: 'gemm', name: 'gemm' });
    const p = await tune({ tasks, gpu, target: targetOf(gpu), profile: NOMINAL_PROFILE, db, model: 'gemm' }, { strategy: 'random', seed: 3, trials: 9 });
    expect(p.trials).toBe(9);
    const records = (await Promise.all(tasks.map((t) => db.records(t.key, gpu.fingerprint)))).flat();
    await db.close();
    const steps = (r: (typeof records)[number]): number => (r.schedule as Schedule).steps.length;
    // Every task's baseline, and the trials besides.
    expect(records.filter((r) => steps(r) === 0)).toHaveLength(tasks.length);
    expect(records).toHaveLength(tasks.length + 9);
    for (const task of tasks) {
      const own = records.filter((r) => r.workload === task.key);
      // The baseline comes first and is never compared with itself.
      expect(steps(own[0])).toBe(0);
      expect(own[0].comparison).toBeUndefined();
      const base = own[0].stats!;
      for (const r of own.slice(1)) {
        expect(r.format).toBe(RECORD_FORMAT);
        // Exactly the valid candidates that came near the default alone are compared with it.
        expect(r.comparison !== undefined).toBe(r.stats !== null && r.stats.minMs <= base.minMs * COMPARE_WITHIN);
        if (r.comparison) {
          expect(r.comparison.ratios.length).toBeGreaterThanOrEqual(12);
          expect(r.comparison.upper).toBeGreaterThanOrEqual(r.comparison.ratio);
        }
      }
      const t = p.tasks.find((x) => x.task.key === task.key)!;
      const wins = own.filter((r) => r.comparison && r.comparison.upper <= WIN_RATIO).map((r) => r.comparison!.ratio);
      expect(t.defaultMs).toBe(base.medianMs);
      expect(t.bestMs).toBeCloseTo(base.medianMs * Math.min(1, ...wins), 9);
    }
  });
});
