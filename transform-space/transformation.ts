// The Transformation interface (STYLE.md): a kind of change with the sites it could apply to, the
// choices at each site, a side-effect-free `check` that says why a choice is illegal, a pure
// `apply`, and the JSON step that records it. What a transformation acts on is a scheduled
// program: level 1 (intra-kernel) changes the schedule only, level 2 (fusion) the program.

import type { FusionOptions } from '../ir/fusion/index.js';
import type { Program } from '../ir/program.js';
import type { Schedule, ScheduleStep, ScheduleTarget } from '../kernels/schedule.js';

/** Sampled decisions: plain JSON, stored as a step's `p`. */
export type Params = Readonly<Record<string, unknown>>;

/** Where a transformation applies: a map (`k4.m0`) for level 1, a buffer fused away for level 2. */
export type Site = string;

/** The choices at one site, each a legal value unless `check` says otherwise. */
export type ParamSpace<P extends Params = Params> = readonly P[];

/** A program, the schedule over it, and what both must fit. */
export interface Scheduled {
  readonly program: Program;
  /** Steps whose sites name the program's kernels. */
  readonly schedule: Schedule;
  /** The device the schedule's defaults and limits are for. */
  readonly target: ScheduleTarget;
  /** Limits of fused maps, and the graph order of the lowered program for the fused kernels' ops. */
  readonly fusion: FusionOptions;
}

export interface Transformation<P extends Params = Params> {
  /** Stable id, stored in steps as `t`. */
  readonly name: string;
  readonly level: 1 | 2 | 3 | 4;
  /** Where it could apply (legality unchecked). */
  sites(x: Scheduled): readonly Site[];
  /** The choices search may sample at site `s`. */
  space(x: Scheduled, s: Site): ParamSpace<P>;
  /** Null when legal, else the reason. */
  check(x: Scheduled, s: Site, v: P): string | null;
  /** Pure: a new scheduled program; throws a FreightError where `check` refuses. */
  apply(x: Scheduled, s: Site, v: P): Scheduled;
  /** The JSON step that records the choice. */
  step(s: Site, v: P): ScheduleStep;
}
