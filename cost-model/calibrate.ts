// The analytic model calibrated on one device's measurements (a learned residual): a ridge
// regression of log(measured / predicted) on the kernel's cost features, fitted in closed form
// from the tuning database's valid records. The calibrated prediction is the analytic one times
// exp(residual). Each workload's records share one unit of weight, so that a kernel tuned for
// hundreds of trials does not drown the others; the residual is fitted afresh from the records
// whenever it is needed (no stored model to go stale against the database or the code).

import type { Kernel, Program } from '../ir/program.js';
import type { MapSchedule } from '../kernels/schedule.js';
import { costKernel, type KernelCost } from './cost-kernel.js';
import { costFeatures, FEATURE_NAMES } from './cost-features.js';
import type { CostProfile } from './cost-profile.js';
import type { CostModel } from './index.js';
import { fitRidge, predictRidge, type RidgeFit } from './ridge.js';

/** Chosen on SwiftShader records of resnet, mobilenet-v2 and bert-layer with workloads held out (bench/cost-calibration-bench.ts): 0.01–0.1 rank alike, 1 and more worse. */
const DEFAULT_LAMBDA = 0.1;

export interface CalibrationSample {
  /** The kernel's program (a tuning task's program serves) and the kernel measured. */
  readonly program: Program;
  readonly kernel: Kernel;
  /** The resolved schedule of each of the kernel's maps. */
  readonly schedules: readonly MapSchedule[];
  readonly measuredMs: number;
  /** The workload key: samples of one workload share one unit of weight. */
  readonly workload: string;
}

export interface CalibrateOptions {
  /** Ridge penalty per unit of weight (per workload). Default 0.1. */
  readonly lambda?: number;
}

/** A CostModel whose costKernel is the analytic cost with predictedMs multiplied by exp(residual). */
export interface CalibratedModel extends CostModel {
  readonly name: 'calibrated';
  /** log(measured / analytic) predicted for a kernel costed as `cost`. */
  residual(cost: KernelCost, schedules: readonly MapSchedule[]): number;
  /** Samples and workloads fitted. */
  readonly samples: number;
  readonly workloads: number;
  /** For readers: how much log(measured / analytic) changes per unit of each feature, by name. */
  readonly weights: Readonly<Record<string, number>>;
  /** The fitted residual, plain data: `calibratedModel(fit, ...)` rebuilds the model elsewhere (a worker). */
  readonly fit: RidgeFit;
}

/** Fits the residual on `samples` (valid measurements of one device) costed on `profile`. */
export function calibrate(samples: readonly CalibrationSample[], profile: CostProfile, options: CalibrateOptions = {}): CalibratedModel {
  const rows: Float64Array[] = [];
  const y: number[] = [];
  const workloads: string[] = [];
  for (const s of samples) {
    const cost = costKernel(s.program, s.kernel, s.schedules, profile);
    // A kernel without points (predicted 0) has nothing to calibrate.
    if (!(cost.predictedMs > 0 && s.measuredMs > 0)) continue;
    rows.push(costFeatures(cost, s.schedules));
    y.push(Math.log(s.measuredMs / cost.predictedMs));
    workloads.push(s.workload);
  }
  if (rows.length === 0) throw new Error('calibrate: no sample with a positive measured and predicted time');
  const perWorkload = new Map<string, number>();
  for (const w of workloads) perWorkload.set(w, (perWorkload.get(w) ?? 0) + 1);
  const fit = fitRidge(rows, y, (options.lambda ?? DEFAULT_LAMBDA) * perWorkload.size, workloads.map((w) => 1 / perWorkload.get(w)!));
  return calibratedModel(fit, rows.length, perWorkload.size);
}

/** The model of a residual fitted by `calibrate`. */
export function calibratedModel(fit: RidgeFit, samples: number, workloads: number): CalibratedModel {
  const residual = (cost: KernelCost, schedules: readonly MapSchedule[]): number => predictRidge(fit, costFeatures(cost, schedules));
  return {
    name: 'calibrated',
    costKernel(p, kernel, schedules, profile) {
      const cost = costKernel(p, kernel, schedules, profile);
      return cost.predictedMs > 0 ? { ...cost, predictedMs: cost.predictedMs * Math.exp(residual(cost, schedules)) } : cost;
    },
    residual,
    samples,
    workloads,
    weights: Object.fromEntries(FEATURE_NAMES.map((name, j) => [name, fit.coef[j] / fit.scale[j]])),
    fit,
  };
}
