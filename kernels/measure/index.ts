// Measurement of candidate kernels: failures as values, time limits, verification, timing; in this
// process (measurer.ts) or in a child process that can be killed (isolated-measurer.ts).

export type { KernelBinding, KernelSpec } from './kernel-spec.js';
export { failure, type MeasureError, type MeasureResult, type Verdict } from './measure-result.js';
export { CompileFailure, prepareSpec, type MeasureOptions, type Prepare, type PreparedWork } from './measure-steps.js';
export { createMeasurer, type Measurer } from './measurer.js';
export { openIsolatedMeasurer, type IsolatedMeasurer, type IsolatedMeasurerOptions } from './isolated-measurer.js';
export type { ChildDevice } from './child-protocol.js';
