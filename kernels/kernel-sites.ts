// Schedules stored per workload name sites relative to their kernel: `@` for the kernel, `@.m1`
// for one of its maps, so that one tuning record serves every kernel with that computation.

import type { Schedule, ScheduleStep } from './schedule.js';

export const KERNEL_SITE = '@';

/** The steps of `schedule` at kernel `kernelId` (or its maps), with sites made relative. */
export function relativeSteps(schedule: Schedule, kernelId: string): ScheduleStep[] {
  return schedule.steps
    .filter((s) => s.at === kernelId || s.at.startsWith(`${kernelId}.`))
    .map((s) => ({ ...s, at: KERNEL_SITE + s.at.slice(kernelId.length) }));
}

/** Relative steps bound to kernel `kernelId`. */
export function bindSteps(steps: readonly ScheduleStep[], kernelId: string): ScheduleStep[] {
  return steps.map((s) => ({ ...s, at: kernelId + s.at.slice(KERNEL_SITE.length) }));
}
