// A point of a model's space: fusion decisions replayed in order on the lowered program, and a
// schedule over the fused program (its sites name the fused kernels, whose ids fusion keeps).
// `materialize` replays and checks both, so a candidate is legal exactly when it materializes.

import { FreightError } from '../ir/errors.js';
import { fuseProgram, fuseRowKernels, graphOrder, type FusionOptions } from '../ir/fusion/index.js';
import type { Program } from '../ir/program.js';
import { resolveSchedule, type Schedule, type ScheduleStep, type ScheduleTarget } from '../kernels/schedule.js';
import { checkFusion, FUSE, fuse, fusionSites } from './fusion-transformation.js';

export interface Candidate {
  /** `{ t: 'fuse', at: BUFFER, p: {} }` steps, applied in order to the lowered program. */
  readonly fusion: readonly ScheduleStep[];
  readonly schedule: Schedule;
}

export interface Materialized {
  readonly program: Program;
  readonly schedule: Schedule;
}

/** Fusion options for a lowered program: ops of fused kernels in its graph order. */
export const fusionOptionsOf = (lowered: Program, options: FusionOptions = {}): FusionOptions => ({ ...options, order: options.order ?? graphOrder(lowered) });

/** The fused program of `fusion` over `lowered`; throws a FreightError naming the decision that fails. */
export function replayFusion(lowered: Program, fusion: readonly ScheduleStep[], options: FusionOptions): Program {
  return fusion.reduce((p, step) => {
    if (step.t !== FUSE.name) throw new FreightError(`fusion decision '${step.t}' at '${step.at}' is not a '${FUSE.name}' step`);
    return fuse(p, step.at, options);
  }, lowered);
}

/** The fused program and the schedule, checked by kernels' `resolveSchedule`. */
export function materialize(lowered: Program, c: Candidate, target: ScheduleTarget, options: FusionOptions): Materialized {
  // Kernels then merge into row kernels as in the default plan (ir/fusion fuseRowKernels).
  const program = fuseRowKernels(replayFusion(lowered, c.fusion, options), options);
  resolveSchedule(program, c.schedule, target);
  return { program, schedule: c.schedule };
}

/**
 * The default plan of ir/fusion (`fuseProgram`) as fusion decisions: the buffers it fuses away,
 * replayed in program order, each as soon as it is legal (an epilogue can wait for an inlining
 * to leave a reduction one reader).
 */
export function defaultFusion(lowered: Program, options: FusionOptions): ScheduleStep[] {
  const kept = fuseProgram(lowered, options).program.buffers;
  let pending = fusionSites(lowered).filter((b) => !kept.has(b));
  const decisions: ScheduleStep[] = [];
  let p = lowered;
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    for (const b of pending) {
      if (checkFusion(p, b, options) !== null) continue;
      p = fuse(p, b, options);
      decisions.push(FUSE.step(b, {}));
      progress = true;
    }
    pending = pending.filter((b) => !decisions.some((d) => d.at === b));
  }
  return decisions;
}
