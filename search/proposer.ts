// What a proposal request is and how it is answered: the strategy's new schedules for one task,
// each scored by the cost model, best first. A pure function of the request and of data fixed for
// the whole run (the tasks' programs, the target, the cost profile), so any worker — or the main
// thread — gives the same answer; the request carries its own seed.

import seedrandom from 'seedrandom';
import { calibratedModel, COST_MODELS, type CostProfile, type RidgeFit } from '../cost-model/index.js';
import { FreightError } from '../ir/errors.js';
import { bindSteps } from '../kernels/kernel-sites.js';
import { mapSite, resolveSchedule, type MapSchedule, type ScheduleTarget } from '../kernels/schedule.js';
import { taskMutator } from './mutator.js';
import { STRATEGIES, type Observation, type Steps, type StrategyName } from './strategy.js';
import type { TuningTask } from './task.js';

/** What proposing needs of a task: its kernel alone, whose constants' values it never reads. */
export type ProposalTask = Pick<TuningTask, 'key' | 'kernel' | 'program'>;

/** Sent once to each worker. */
export interface ProposerData {
  readonly tasks: readonly ProposalTask[];
  readonly target: ScheduleTarget;
  readonly profile: CostProfile;
  /** The cost model's residual fitted on the device's records at the run's start; analytic without. */
  readonly calibration?: Calibration;
}

/** A calibrated cost model as plain data, for workers (cost-model/calibrate.ts). */
export interface Calibration {
  readonly fit: RidgeFit;
  readonly samples: number;
  readonly workloads: number;
}

export interface ProposalRequest {
  /** The task's key. */
  readonly task: string;
  readonly strategy: StrategyName;
  /** Everything measured on the task so far: parents, and schedules not to propose again. */
  readonly observations: readonly Observation[];
  /** Schedules asked of the strategy; fewer come back when some repeat or were measured. */
  readonly count: number;
  /** Seeds the strategy's generator: the request alone decides the answer. */
  readonly seed: string;
}

export interface Proposal {
  readonly steps: Steps;
  readonly predictedMs: number;
}

/** Strips what proposing never reads (constants' values), so workers receive the kernels only. */
export function proposerData(tasks: readonly ProposalTask[], target: ScheduleTarget, profile: CostProfile, calibration?: Calibration): ProposerData {
  return { tasks: tasks.map(({ key, kernel, program }) => ({ key, kernel, program: { ...program, constants: new Map() } })), target, profile, calibration };
}

/**
 * Answers requests over `data`: the default schedule alone while it is unmeasured (every task's
 * baseline), else the strategy's fresh proposals — none that resolves like a measured schedule or
 * an earlier proposal — ranked by predicted time (ties in proposal order).
 */
export function proposer(data: ProposerData): (r: ProposalRequest) => Proposal[] {
  const tasks = new Map(data.tasks.map((t) => [t.key, t]));
  const c = data.calibration;
  const model = c ? calibratedModel(c.fit, c.samples, c.workloads) : COST_MODELS.analytic;
  /** The resolved schedule of each of the kernel's maps: what a schedule does, whatever its steps. */
  const schedulesOf = (task: ProposalTask, steps: Steps): MapSchedule[] => {
    const s = resolveSchedule(task.program, { v: 1, steps: bindSteps(steps, task.kernel.id) }, data.target);
    return task.kernel.maps.map((_, i) => s.get(mapSite(task.kernel.id, i))!);
  };
  /**
   * Measured schedules by what they do, by task and steps: steps that change nothing (a tile of 1,
   * a step another overrides) resolve alike and are not proposed again; steps the code no longer
   * resolves stand for themselves.
   */
  const measured = new Map<string, string>();
  const effectOf = (task: ProposalTask, steps: Steps): string => {
    const key = `${task.key}:${JSON.stringify(steps)}`;
    let e = measured.get(key);
    if (e === undefined) {
      try {
        e = JSON.stringify(schedulesOf(task, steps));
      } catch (err) {
        if (!(err instanceof FreightError)) throw err;
        e = key;
      }
      measured.set(key, e);
    }
    return e;
  };
  return (r) => {
    const task = tasks.get(r.task);
    if (!task) throw new FreightError(`no tuning task '${r.task}' was given to the proposal pool`);
    const predicted = (steps: Steps, schedules = schedulesOf(task, steps)): Proposal =>
      ({ steps, predictedMs: model.costKernel(task.program, task.kernel, schedules, data.profile).predictedMs });
    if (!r.observations.some((o) => o.steps.length === 0)) return [predicted([])];
    const known = new Set(r.observations.map((o) => effectOf(task, o.steps)));
    const fresh = new Map<string, { steps: Steps; schedules: MapSchedule[] }>();
    for (const steps of STRATEGIES[r.strategy].propose(r.observations, r.count, taskMutator(task, data.target), seedrandom(r.seed))) {
      const schedules = schedulesOf(task, steps);
      const k = JSON.stringify(schedules);
      if (!known.has(k) && !fresh.has(k)) fresh.set(k, { steps, schedules });
    }
    return [...fresh.values()].map((f) => predicted(f.steps, f.schedules)).sort((a, b) => a.predictedMs - b.predictedMs);
  };
}
