// transform-space: the transformations a Program admits and the space of a model they span.
// Level 1 (intra-kernel) transformations are the step kinds of kernels/schedule.ts, checked by
// its pure schedule checks (that file has no GPU dependency; nothing else of kernels is used);
// level 2 is vertical fusion from ir/fusion. A candidate is fusion decisions plus a schedule.

import { FUSE } from './fusion-transformation.js';
import { SCHEDULE_TRANSFORMATIONS } from './schedule-transformation.js';
import type { Transformation } from './transformation.js';

export { defaultFusion, materialize, replayFusion, type Candidate, type Materialized } from './candidate.js';
export { checkFusion, FUSE, fuse, fusionSites } from './fusion-transformation.js';
export { modelSpace, type ModelSpace, type Rng, type SpaceOptions, type Variable } from './model-space.js';
export { checkKernelSteps, mapSites, SCHEDULE_TRANSFORMATIONS } from './schedule-transformation.js';
export { REDUCTION_STRATEGIES, STEP_KINDS, type StepKind } from './step-kinds.js';
export type { Params, ParamSpace, Scheduled, Site, Transformation } from './transformation.js';

/** Every transformation, by level. */
export const TRANSFORMATIONS: readonly Transformation[] = [...SCHEDULE_TRANSFORMATIONS, FUSE];

export function transformation(name: string): Transformation | undefined {
  return TRANSFORMATIONS.find((t) => t.name === name);
}
