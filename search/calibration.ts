// Calibration samples from the tuning database: the valid records of a program's workloads on one
// device, each replayed under its schedule on the program's first kernel of that workload. Used by
// `freight cost --db` and by the tuner, which calibrates the cost model that ranks its proposals.

import type { CalibrationSample } from '../cost-model/index.js';
import { workloadKey } from '../ir/canonical.js';
import { FreightError } from '../ir/errors.js';
import type { Kernel, Program } from '../ir/program.js';
import { bindSteps } from '../kernels/kernel-sites.js';
import { RECORD_FORMAT } from '../kernels/record-format.js';
import { mapSite, resolveSchedule, type MapSchedule, type Schedule, type ScheduleTarget } from '../kernels/schedule.js';
import type { TuningRecord } from '../tuning-db/index.js';

/**
 * The valid records (current format) of the workloads of `kernels`, as calibration samples: each
 * record's schedule replayed on the first kernel of its workload, its time the least of its runs
 * (other work on the machine only ever adds time: on SwiftShader shared by busy cores, a record's
 * slowest run is typically 8× its fastest and its median 1.6×). A schedule that no longer resolves
 * (a step the code has since refused) is left out.
 */
export async function calibrationSamples(
  p: Program, kernels: readonly Kernel[], records: (workload: string) => Promise<readonly TuningRecord[]>, target: ScheduleTarget,
): Promise<CalibrationSample[]> {
  const byWorkload = new Map<string, Kernel>();
  for (const k of kernels) {
    const key = workloadKey(p, k);
    if (!byWorkload.has(key)) byWorkload.set(key, k);
  }
  const samples: CalibrationSample[] = [];
  for (const [workload, kernel] of byWorkload) samples.push(...workloadSamples(p, kernel, workload, await records(workload), target));
  return samples;
}

/** The samples of one workload's `records`, replayed on `kernel` of `p`. */
export function workloadSamples(p: Program, kernel: Kernel, workload: string, records: readonly TuningRecord[], target: ScheduleTarget): CalibrationSample[] {
  return records.flatMap((r) => {
    if (r.failure || !r.stats || r.format !== RECORD_FORMAT) return [];
    const schedules = kernelSchedules(p, kernel, r.schedule as Schedule, target);
    return schedules ? [{ program: p, kernel, schedules, measuredMs: r.stats.minMs, workload }] : [];
  });
}

function kernelSchedules(p: Program, kernel: Kernel, schedule: Schedule, target: ScheduleTarget): MapSchedule[] | undefined {
  try {
    const resolved = resolveSchedule(p, { v: 1, steps: bindSteps(schedule.steps ?? [], kernel.id) }, target);
    return kernel.maps.map((_, i) => resolved.get(mapSite(kernel.id, i))!);
  } catch (e) {
    if (e instanceof FreightError) return undefined;
    throw e;
  }
}
