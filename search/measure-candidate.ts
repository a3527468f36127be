// One candidate of one task: compiled, run once on outputs poisoned with NaN and compared with the
// loop interpreter, then timed with timestamp queries. Every failure is a value. Single-map kernels
// are measured in a child process that is killed past the time limit (kernels/measure); the rest on
// the main thread's device, where a kernel that never ends would keep SwiftShader's threads.

import { storageOf } from '../ir/program.js';
import { sizeOf } from '../ir/tensor.js';
import { compareTensors } from '../ir/testing/compare.js';
import { generateMap } from '../kernels/codegen/generate-map.js';
import type { GpuDevice } from '../kernels/gpu/device.js';
import { timeGpu } from '../kernels/gpu/timer.js';
import { bindSteps } from '../kernels/kernel-sites.js';
import type { IsolatedMeasurer } from '../kernels/measure/isolated-measurer.js';
import type { KernelBinding } from '../kernels/measure/kernel-spec.js';
import { compilePlan } from '../kernels/plan/compile-plan.js';
import { fromWords, gpuBytes, toWords } from '../kernels/plan/gpu-words.js';
import { mapSite, resolveSchedule, type ScheduleTarget } from '../kernels/schedule.js';
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

/**
 * The same measurement in the isolated measurer's child process, which is killed past the time
 * limit: a kernel that never ends becomes a 'timeout' record and tuning goes on. For kernels of one
 * map that does not read what it writes (nearly all after fusion); undefined for the others, which
 * the caller measures in-process.
 */
export async function measureCandidateIsolated(task: TuningTask, steps: Steps, measurer: IsolatedMeasurer, target: ScheduleTarget, limitMs = 10_000): Promise<Measured | undefined> {
  const { program, kernel } = task;
  if (kernel.maps.length !== 1) return undefined;
  const m = kernel.maps[0];
  const root = (name: string) => storageOf(program, name);
  const written = root(m.write.buffer);
  if (m.reads.some((r) => root(r.buffer).name === written.name)) return undefined;
  const fail = (failure: FailureKind, e: unknown): Measured => ({ steps, stats: null, failure, detail: String((e as Error)?.message ?? e), maxError: null, tolerance: TOLERANCE });
  let g;
  try {
    const schedules = resolveSchedule(program, { v: 1, steps: bindSteps(steps, kernel.id) }, target);
    g = generateMap(m, schedules.get(mapSite(kernel.id, 0))!, { buffer: (name) => program.buffers.get(name)!, root });
  } catch (e) {
    return fail('compile-error', e);
  }
  const bindings: KernelBinding[] = g.bindings.map((b, binding) => {
    if (b.access === 'read_write') return { binding, kind: 'storage', size: gpuBytes(sizeOf(written.shape)), output: true };
    const t = task.inputs[b.buffer] ?? program.constants.get(b.buffer);
    if (!t) throw new Error(`tuning task ${task.key}: no data for buffer ${b.buffer}`);
    return { binding, kind: 'read-only-storage', data: toWords(t, b.buffer) };
  });
  const want = task.expected.get(program.outputs.find((o) => root(o.buffer).name === written.name)!.name)!;
  let maxError = NaN;
  const r = await measurer.measure({ code: g.code, bindings, workgroups: [g.workgroups[0], g.workgroups[1]] }, {
    timeLimitMs: limitMs,
    timing: { warmupRuns: 2, minRuns: 5, minMeasuredMs: 20, maxRuns: 50 },
    verify: ([out]) => {
      const c = compareTensors(fromWords(new Uint32Array(out), written.dtype, written.shape, written.name, false), want, TOLERANCE);
      maxError = c.maxRelError;
      return { ok: c.ok, maxError: c.maxRelError, detail: c.detail };
    },
  });
  if (!r.ok) {
    const kinds: Record<typeof r.error, FailureKind> = { compile: 'compile-error', runtime: 'runtime-error', 'wrong-result': 'wrong-result', timeout: 'timeout', 'device-lost': 'device-lost' };
    return { ...fail(kinds[r.error], r.detail), maxError: Number.isNaN(maxError) ? null : maxError };
  }
  return { steps, stats: { medianMs: r.medianMs, minMs: r.minMs, maxMs: r.maxMs, runs: r.runMs.length }, failure: null, detail: null, maxError: r.maxError, tolerance: TOLERANCE };
}
