// kernels: WebGPU code generation, whole-model plans and schedules. Exports only; each helper
// adds lines for its own pieces.

export {
  type Schedule, type ScheduleStep, type MapSchedule, type ReductionStrategy,
  EMPTY_SCHEDULE, defaultSchedule, resolveSchedule, checkMapSchedule, mapSite,
} from './schedule.js';
export { generateMap, MAX_WORKGROUPS_PER_DIM, type GeneratedMap, type MapBinding, type BufferLookup } from './codegen/generate-map.js';
export { compilePlan, type Plan, type PlannedDispatch, type RunOptions as PlanRunOptions } from './plan/compile-plan.js';
export { pipelineCache, type PipelineCache } from './plan/pipeline-cache.js';
