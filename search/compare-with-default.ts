// A candidate against its task's default schedule, timed alternately in the same submissions
// (default ×3, candidate ×3, then candidate ×3, default ×3, …, each run its own timed pass) so that
// whatever the machine does meanwhile (other processes, clocks, caches) hits both alike; each pair
// of neighbouring triples gives a candidate / default ratio of their medians.
// A tuned schedule replaces the default only when a distribution-free upper confidence bound of the
// median ratio is below WIN_RATIO. A candidate measured alone once can look faster by luck: on a
// shared CPU (SwiftShader) the medians of two separate measurements differ by more than most
// schedules gain, and even paired ratios scatter over 0.1–10× when other processes preempt runs.

import type { GpuDevice } from '../kernels/gpu/device.js';
import { runPasses, timestampPasses, type Encode } from '../kernels/gpu/timer.js';
import { bindSteps } from '../kernels/kernel-sites.js';
import { compilePlan, type Plan } from '../kernels/plan/compile-plan.js';
import type { Comparison } from '../tuning-db/index.js';
import type { Steps } from './strategy.js';
import type { TuningTask } from './task.js';

/** A candidate wins when the upper bound of its median ratio is at most this: smaller gains are within a bench's noise. */
export const WIN_RATIO = 0.97;

export interface CompareOptions {
  /** At least this many pairs. Default 12. */
  readonly minPairs?: number;
  /** More pairs until both sides add up to this much measured time. Default 60 ms. */
  readonly minMeasuredMs?: number;
  /**
   * More pairs, up to this many, while the median says win and its bound does not yet: a real
   * gain is confirmed by more evidence, a lucky one fades. Default 48.
   */
  readonly maxPairs?: number;
}

/** Pairs per submission: amortizes the readback without one long submit. */
const BATCH = 4;

/**
 * Runs per side of a pair, of which the pair keeps the median: a run that another process
 * preempted (5-10× slower on a loaded machine) does not make the pair's ratio.
 */
const RUNS_PER_SIDE = 3;

export interface DefaultComparer {
  /**
   * Times `steps` of `task` against the task's default schedule. For candidates that have already
   * been verified and timed once: both are known to finish.
   */
  compare(task: TuningTask, steps: Steps, options?: CompareOptions): Promise<Comparison>;
}

/** Compares on `gpu`, in this process; each task's default plan is compiled once. */
export function defaultComparer(gpu: GpuDevice): DefaultComparer {
  const plan = (task: TuningTask, s: Steps): Promise<Plan> => compilePlan(task.program, gpu, { v: 1, steps: bindSteps(s, task.kernel.id) }, { fusion: false });
  const defaults = new Map<string, Promise<Plan>>();
  const defaultPlan = (task: TuningTask): Promise<Plan> => {
    if (!defaults.has(task.key)) defaults.set(task.key, plan(task, []));
    return defaults.get(task.key)!;
  };
  return {
    async compare(task, steps, options) {
      const [base, candidate] = [await defaultPlan(task), await plan(task, steps)];
      return comparePasses(gpu, (pass) => base.encode(pass), (pass) => candidate.encode(pass), options);
    },
  };
}

/** The paired comparison of two encoded workloads: `b`'s time over `a`'s, pair by pair. */
export async function comparePasses(gpu: GpuDevice, a: Encode, b: Encode, options: CompareOptions = {}): Promise<Comparison> {
  const minPairs = options.minPairs ?? 12;
  const maxPairs = Math.max(minPairs, options.maxPairs ?? 48);
  const minMeasuredMs = options.minMeasuredMs ?? 60;
  for (const encode of [a, b]) await runPasses(gpu, encode, 2);
  const ratios: number[] = [];
  let measuredMs = 0;
  const undecided = (): boolean => median(ratios) <= WIN_RATIO && upperBound(ratios) > WIN_RATIO;
  while (ratios.length < maxPairs && (ratios.length < minPairs || measuredMs < minMeasuredMs || undecided())) {
    const pairs = Math.min(BATCH, maxPairs - ratios.length);
    const times = await timeAlternately(gpu, a, b, pairs);
    for (const [aMs, bMs] of times) {
      ratios.push(bMs / aMs);
      measuredMs += RUNS_PER_SIDE * (aMs + bMs);
    }
  }
  return { ratio: median(ratios), upper: upperBound(ratios), ratios };
}

/**
 * A one-sided 95% upper confidence bound of the median of `xs`, free of any assumption about their
 * distribution: the order statistic that the number of values below the true median (binomial,
 * n, ½) stays under with 95% probability (normal approximation).
 */
export function upperBound(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const k = Math.ceil(s.length / 2 + 1.645 * Math.sqrt(s.length) / 2);
  return s[Math.min(s.length, k) - 1];
}

/**
 * `pairs` pairs of (a ms, b ms), each side the median of RUNS_PER_SIDE consecutive runs, every other
 * pair in the order b, a so that neither always runs second.
 */
async function timeAlternately(gpu: GpuDevice, a: Encode, b: Encode, pairs: number): Promise<[number, number][]> {
  const side = (e: Encode): Encode[] => Array.from({ length: RUNS_PER_SIDE }, () => e);
  const order = Array.from({ length: pairs }, (_, i) => (i % 2 === 0 ? [side(a), side(b)] : [side(b), side(a)])).flat(2);
  let ms: number[];
  if (gpu.timestamps) {
    const { beginNs, endNs } = await timestampPasses(gpu, order);
    ms = order.map((_, i) => Number(endNs[i] - beginNs[i]) / 1e6);
  } else {
    ms = [];
    for (const encode of order) {
      const start = performance.now();
      await runPasses(gpu, encode, 1);
      ms.push(performance.now() - start);
    }
  }
  const sides = Array.from({ length: 2 * pairs }, (_, j) => median(ms.slice(j * RUNS_PER_SIDE, (j + 1) * RUNS_PER_SIDE)));
  return Array.from({ length: pairs }, (_, i) => (i % 2 === 0 ? [sides[2 * i], sides[2 * i + 1]] : [sides[2 * i + 1], sides[2 * i]]));
}

/** The median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
