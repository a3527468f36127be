// cost-model: predicted bytes moved and time of a kernel under a schedule, on a device profile.
// The registry holds the analytic model (a roofline over data movement at transaction
// granularity); the calibrated model is not a fixed entry but fitted from one device's
// measurements by `calibrate` (a learned residual on top of the analytic prediction).

import type { Kernel, Program } from '../ir/program.js';
import type { MapSchedule } from '../kernels/schedule.js';
import { costKernel, type KernelCost } from './cost-kernel.js';
import type { CostProfile } from './cost-profile.js';

export { costKernel, costMap, type BoundBy, type KernelCost, type MapCost } from './cost-kernel.js';
export { NOMINAL_PROFILE, resolveProfile, type CostProfile, type ResolvedProfile } from './cost-profile.js';
export { executionShape, type ExecutionShape } from './execution-shape.js';
export { spearman, ranks } from './rank-correlation.js';
export { calibrate, calibratedModel, type CalibratedModel, type CalibrationSample, type CalibrateOptions } from './calibrate.js';
export { costFeatures, FEATURE_NAMES } from './cost-features.js';
export { fitRidge, predictRidge, type RidgeFit } from './ridge.js';
export { mapTraffic, SECTOR_BYTES, type AccessTraffic, type MapTraffic } from './map-traffic.js';

export interface CostModel {
  readonly name: string;
  /** `schedules[i]` is the resolved schedule of `kernel.maps[i]`. */
  costKernel(p: Program, kernel: Kernel, schedules: readonly MapSchedule[], profile: CostProfile): KernelCost;
}

export const COST_MODELS: Readonly<Record<string, CostModel>> = {
  analytic: { name: 'analytic', costKernel },
};
