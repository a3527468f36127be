// kernels: WebGPU code generation, whole-model plans and schedules. Exports only; each helper
// adds lines for its own pieces.

export {
  type Schedule, type ScheduleStep, type MapSchedule, type ReductionStrategy, type RegisterBlock, type ScheduleTarget,
  EMPTY_SCHEDULE, DEFAULT_TARGET, resolveSchedule, checkMapSchedule, mapSite,
} from './schedule.js';
export { defaultSchedule, suggestRegisterBlocks } from './default-schedule.js';
export { targetOf } from './target.js';
export { generateMap, MAX_WORKGROUPS_PER_DIM, type GeneratedMap, type MapBinding, type BufferLookup } from './codegen/generate-map.js';
export { compilePlan, type Plan, type PlannedDispatch, type RunOptions as PlanRunOptions } from './plan/compile-plan.js';
export { pipelineCache, type PipelineCache } from './plan/pipeline-cache.js';
export {
  createMeasurer, openIsolatedMeasurer, type Measurer, type IsolatedMeasurer, type IsolatedMeasurerOptions,
  type KernelSpec, type MeasureOptions, type MeasureResult, type Verdict,
} from './measure/index.js';
