// Calibration on synthetic measurements: a residual planted as a linear function of named cost
// features is recovered (weights and held-out predictions), a constant factor becomes the
// intercept, a workload's many records weigh as much as another's one; and the ridge solver on its own.

import { describe, expect, it } from 'vitest';
import { v } from '../ir/expr.js';
import type { Program } from '../ir/program.js';
import type { MapSchedule } from '../kernels/schedule.js';
import { calibrate, type CalibrationSample } from './calibrate.js';
import { costKernel } from './cost-kernel.js';
import { costFeatures, FEATURE_NAMES } from './cost-features.js';
import { NOMINAL_PROFILE } from './cost-profile.js';
import { spearman } from './rank-correlation.js';
import { fitRidge, predictRidge } from './ridge.js';
import { copy2d, gemm, rowSum, serial, subgroup, tree } from './test-programs.js';

const profile = NOMINAL_PROFILE;

/** Kernels of several sizes and access patterns under several schedules each. */
function cases(sizes: readonly number[]): { program: Program; schedule: MapSchedule; workload: string }[] {
  const out: { program: Program; schedule: MapSchedule; workload: string }[] = [];
  for (const n of sizes) {
    const schedules = [
      serial(64), serial(256), serial(32, { unroll: [{ dim: 'k', factor: 4 }] }),
      serial(128, { registerBlocks: [{ dim: 'm', size: 2 }] }), serial(64, { registerBlocks: [{ dim: 'm', size: 4 }, { dim: 'n', size: 4 }] }),
    ];
    for (const schedule of schedules) out.push({ program: gemm(n, n, n), schedule, workload: `gemm${n}` });
    for (const schedule of [serial(64), tree(64), tree(256), subgroup(32)]) out.push({ program: rowSum(n / 8, n * 8), schedule, workload: `rowsum${n}` });
    for (const schedule of [serial(64), serial(256)]) out.push({ program: copy2d(n, [v('j'), v('i')]), schedule, workload: `transpose${n}` });
  }
  return out;
}

const feature = (name: string): number => FEATURE_NAMES.indexOf(name);

/** Samples whose measured time is the analytic prediction times exp(residual(features)). */
function samples(sizes: readonly number[], residual: (x: Float64Array) => number): CalibrationSample[] {
  return cases(sizes).map(({ program, schedule, workload }) => {
    const kernel = program.kernels[0];
    const cost = costKernel(program, kernel, [schedule], profile);
    return { program, kernel, schedules: [schedule], workload, measuredMs: cost.predictedMs * Math.exp(residual(costFeatures(cost, [schedule]))) };
  });
}

describe('calibrate', () => {
  // Measured: trees 3× slower than predicted, unrolling pays, and time grows faster than the
  // analytic prediction with the bytes moved.
  const planted = (x: Float64Array): number =>
    0.4 + 2 * x[feature('workgroup tree')] - 0.8 * x[feature('unroll')] + 0.5 * x[feature('log bytes moved')];
  const training = samples([64, 128, 512, 1024], planted);
  const heldOut = samples([256], planted);

  it('recovers a residual planted on named features: held-out predictions match the measurements', () => {
    const model = calibrate(training, profile, { lambda: 1e-6 });
    expect(model).toMatchObject({ name: 'calibrated', samples: training.length, workloads: 12 });
    for (const s of heldOut) {
      const predicted = model.costKernel(s.program, s.kernel, s.schedules, profile).predictedMs;
      expect(predicted / s.measuredMs).toBeCloseTo(1, 2);
    }
    const analytic = heldOut.map((s) => costKernel(s.program, s.kernel, s.schedules, profile).predictedMs);
    const calibrated = heldOut.map((s) => model.costKernel(s.program, s.kernel, s.schedules, profile).predictedMs);
    const measured = heldOut.map((s) => s.measuredMs);
    expect(spearman(calibrated, measured)).toBeGreaterThan(0.99);
    expect(spearman(calibrated, measured)).toBeGreaterThan(spearman(analytic, measured));
    expect(model.weights['workgroup tree']).toBeCloseTo(2, 2);
    expect(model.weights.unroll).toBeCloseTo(-0.8, 2);
    expect(model.weights['log bytes moved']).toBeCloseTo(0.5, 2);
  });

  it('leaves the rest of the analytic cost as it was', () => {
    const model = calibrate(training, profile);
    const s = heldOut[0];
    const [analytic, calibrated] = [costKernel(s.program, s.kernel, s.schedules, profile), model.costKernel(s.program, s.kernel, s.schedules, profile)];
    expect({ ...calibrated, predictedMs: 0 }).toEqual({ ...analytic, predictedMs: 0 });
    expect(calibrated.predictedMs).not.toBe(analytic.predictedMs);
  });

  it('turns a constant factor into the intercept alone', () => {
    const model = calibrate(samples([64, 128, 512], () => Math.log(2.5)), profile);
    for (const w of Object.values(model.weights)) expect(Math.abs(w)).toBeLessThan(1e-9);
    for (const s of samples([256], () => 0)) expect(model.costKernel(s.program, s.kernel, s.schedules, profile).predictedMs / s.measuredMs).toBeCloseTo(2.5, 9);
  });

  it('weighs each workload as one: forty records of one kernel count as much as one of another', () => {
    const [a, b] = [samples([64], () => 0)[0], samples([128], () => 0)[0]];
    const many = [...Array.from({ length: 40 }, () => ({ ...a, measuredMs: a.measuredMs * Math.E })), { ...b, measuredMs: b.measuredMs / Math.E }];
    // A penalty this large leaves only the intercept: the weighted mean of +1 and −1.
    const model = calibrate(many, profile, { lambda: 1e12 });
    expect(model.residual(costKernel(a.program, a.kernel, a.schedules, profile), a.schedules)).toBeCloseTo(0, 6);
  });

  it('refuses to fit nothing', () => {
    expect(() => calibrate([], profile)).toThrow(/no sample/);
  });
});

describe('fitRidge', () => {
  const rows = Array.from({ length: 30 }, (_, i) => Float64Array.of(i % 7, (i * 13) % 11, 5));
  const y = rows.map((r) => 2 + 3 * r[0] - r[1]);

  it('solves an exact linear relation, a constant feature weighing nothing', () => {
    const fit = fitRidge(rows, y, 1e-9);
    expect(fit.coef[0] / fit.scale[0]).toBeCloseTo(3, 6);
    expect(fit.coef[1] / fit.scale[1]).toBeCloseTo(-1, 6);
    expect(fit.coef[2]).toBe(0);
    expect(predictRidge(fit, [4, 2, 5])).toBeCloseTo(12, 6);
  });

  it('clamps features to the range it was fitted on', () => {
    const fit = fitRidge(rows, y, 1e-9);
    expect(predictRidge(fit, [600, 0, 5])).toBeCloseTo(predictRidge(fit, [6, 0, 5]), 9);
  });

  it('shrinks towards the mean as the penalty grows', () => {
    const mean = y.reduce((s, x) => s + x, 0) / y.length;
    expect(predictRidge(fitRidge(rows, y, 1e12), [6, 0, 5])).toBeCloseTo(mean, 6);
  });
});
