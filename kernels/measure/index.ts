// Measurement of candidate kernels: failures as values, time limits, verification, timing.

export type { KernelBinding, KernelSpec } from './kernel-spec.js';
export { failure, type MeasureError, type MeasureResult, type Verdict } from './measure-result.js';
export { CompileFailure, createMeasurer, prepareSpec, type MeasureOptions, type Measurer, type Prepare, type PreparedWork } from './measurer.js';
