// One candidate of one task measured on the main thread's device: compiled, run once on outputs
// poisoned with NaN and compared with the loop interpreter, then timed with timestamp queries.
// Every failure is a value. The time limit covers the verification run; on SwiftShader a kernel
// that never ends keeps its threads (kernels/measure explains), so search proposals come only from
// legal schedule steps, whose loops all end.

import { compareTensors } from '../ir/testing/compare.js';
import type { GpuDevice } from '../kernels/gpu/device.js';
import { timeGpu } from '../kernels/gpu/timer.js';
import { bindSteps } from '../kernels/kernel-sites.js';
import { compilePlan } from '../kernels/plan/compile-plan.js';
import type { FailureKind, RunStats } from '../tuning-db/index.js';
import type { Steps } from './strategy.js';
import type { TuningTask } from './task.js';

export interface Measured {
  readonly steps: Steps;
  readonly stats: RunStats | null;
  readonly failure: FailureKind | null;
  readonly detail: string | null;
  readonly maxError: number | null;
  readonly tolerance: number;
}

export const TOLERANCE = 1e-4;

export async function measureCandidate(task: TuningTask, steps: Steps, gpu: GpuDevice, limitMs = 10_000): Promise<Measured> {
  const fail = (failure: FailureKind, e: unknown, maxError: number | null = null): Measured =>
    ({ steps, stats: null, failure, detail: String((e as Error)?.message ?? e), maxError, tolerance: TOLERANCE });
  let plan;
  try {
    plan = await compilePlan(task.program, gpu, { v: 1, steps: bindSteps(steps, task.kernel.id) }, { fusion: false });
  } catch (e) {
    return fail('compile-error', e);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), limitMs); });
  let outputs;
  try {
    const result = await Promise.race([plan.run(task.inputs, { poison: true }), timeout]);
    if (result === 'timeout') return fail('timeout', `no result within ${limitMs} ms`);
    outputs = result;
  } catch (e) {
    return fail('runtime-error', e);
  } finally {
    clearTimeout(timer);
  }
  let maxError = 0;
  for (const [name, want] of task.expected) {
    const c = compareTensors(outputs.get(name)!, want, TOLERANCE);
    maxError = Math.max(maxError, c.maxRelError);
    if (!c.ok) return fail('wrong-result', `${name}: ${c.detail}`, maxError);
  }
  const t = await timeGpu(gpu, (pass) => plan.encode(pass), { warmupRuns: 2, minRuns: 5, minMeasuredMs: 20, maxRuns: 50 });
  return { steps, stats: { medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, runs: t.runsMs.length }, failure: null, detail: null, maxError, tolerance: TOLERANCE };
}
