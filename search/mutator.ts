// Proposals for one task made legal by construction: transform-space's level-1 transformations
// applied to the task's kernel alone, each choice checked by kernels' own schedule checks.

import { bindSteps, relativeSteps } from '../kernels/kernel-sites.js';
import type { ScheduleStep, ScheduleTarget } from '../kernels/schedule.js';
import { checkKernelSteps, SCHEDULE_TRANSFORMATIONS, type Scheduled } from '../transform-space/index.js';
import type { Mutator, Steps } from './strategy.js';
import type { TuningTask } from './task.js';

/** Tries before a mutation gives up and returns its input: most random choices are legal. */
const TRIES = 12;

export function taskMutator(task: Pick<TuningTask, 'kernel' | 'program'>, target: ScheduleTarget): Mutator {
  const id = task.kernel.id;
  const scheduled = (steps: Steps): Scheduled => ({ program: task.program, schedule: { v: 1, steps: bindSteps(steps, id) }, target, fusion: {} });
  const legal = (steps: Steps): boolean => checkKernelSteps(task.program, id, bindSteps(steps, id), target) === null;
  return {
    mutate(steps, rng) {
      const x = scheduled(steps);
      const options = SCHEDULE_TRANSFORMATIONS.map((t) => ({ t, sites: t.sites(x) })).filter((o) => o.sites.length > 0);
      for (let i = 0; i < TRIES && options.length; i++) {
        const { t, sites } = options[Math.floor(rng() * options.length)];
        const site = sites[Math.floor(rng() * sites.length)];
        const space = t.space(x, site);
        if (space.length === 0) continue;
        const v = space[Math.floor(rng() * space.length)];
        if (t.check(x, site, v) === null) return relativeSteps(t.apply(x, site, v).schedule, id);
      }
      return steps;
    },
    crossover(a, b, rng) {
      // Each decision (kind, site, key) from one parent or the other; an illegal mix gives `a`.
      const slot = (s: ScheduleStep): string => `${s.t}@${s.at}@${JSON.stringify(Object.keys(s.p).length ? s.p.dim ?? '' : '')}`;
      const slots = new Map<string, ScheduleStep[]>();
      for (const s of [...a, ...b]) slots.set(slot(s), [...(slots.get(slot(s)) ?? []), s]);
      const child = [...slots.values()].flatMap((options) => (rng() < 0.5 ? [options[0]] : [options[options.length - 1]]));
      return legal(child) ? child : a;
    },
  };
}
