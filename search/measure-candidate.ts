// One candidate of one task: compiled, run once on outputs poisoned with NaN and compared with the
// loop interpreter, then timed with timestamp queries. Every failure is a value. Kernels of one
// dispatch are measured in a child process that is killed past the time limit (kernels/measure);
// the rest on the main thread's device, where a kernel that never ends would keep SwiftShader's
// threads.

import { storageOf } from '../ir/program.js';
import { sizeOf } from '../ir/tensor.js';
import { compareTensors } from '../ir/testing/compare.js';
import type { GpuDevice } from '../kernels/gpu/device.js';
import { timeGpu } from '../kernels/gpu/timer.js';
import { bindSteps } from '../kernels/kernel-sites.js';
import type { IsolatedMeasurer } from '../kernels/measure/isolated-measurer.js';
import { parameterBindings, type KernelBinding } from '../kernels/measure/kernel-spec.js';
import { compilePlan } from '../kernels/plan/compile-plan.js';
import { fromWords, gpuBytes, toWords } from '../kernels/plan/gpu-words.js';
import { planDispatches } from '../kernels/plan/plan-dispatches.js';
import { resolveSchedule, type ScheduleTarget } from '../kernels/schedule.js';
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
 * limit: a kernel that never ends becomes a 'timeout' record and tuning goes on. For kernels that
 * are one dispatch (one map, or a row kernel's maps as phases of one shader) and write no buffer
 * that holds data before they run; undefined for the others, which the caller measures in-process.
 */
export async function measureCandidateIsolated(task: TuningTask, steps: Steps, measurer: IsolatedMeasurer, target: ScheduleTarget, limitMs = 10_000): Promise<Measured | undefined> {
  const { program, kernel } = task;
  const root = (name: string) => storageOf(program, name);
  const fail = (failure: FailureKind, e: unknown): Measured => ({ steps, stats: null, failure, detail: String((e as Error)?.message ?? e), maxError: null, tolerance: TOLERANCE });
  let planned;
  try {
    const schedules = resolveSchedule(program, { v: 1, steps: bindSteps(steps, kernel.id) }, target);
    // The device's limits are the child's to enforce: a kernel past them fails there as a compile error.
    planned = planDispatches(program, schedules, { maxStorageBufferBindingSize: Infinity, maxStorageBuffersPerShaderStage: Infinity });
  } catch (e) {
    return kernel.maps.length === 1 ? fail('compile-error', e) : undefined;
  }
  if (planned.generated.length !== 1) return undefined;
  const [g] = planned.generated;
  const data = (name: string) => task.inputs[name] ?? program.constants.get(name);
  if (g.bindings.some((b) => b.access === 'read_write' && data(b.buffer))) return undefined;
  const bindings: KernelBinding[] = g.bindings.map((b, binding) => {
    if (b.access === 'read_write') return { binding, kind: 'storage', size: gpuBytes(sizeOf(root(b.buffer).shape)), output: true };
    const t = data(b.buffer);
    if (!t) throw new Error(`tuning task ${task.key}: no data for buffer ${b.buffer}`);
    return { binding, kind: 'read-only-storage', data: toWords(t, b.buffer) };
  });
  bindings.push(...parameterBindings(g.bindings.length, g.uniforms));
  // Written buffers in binding order, as the child returns them; those the task's outputs live in are compared.
  const written = g.bindings.filter((b) => b.access === 'read_write').map((b) => {
    const buffer = root(b.buffer);
    const output = program.outputs.find((o) => root(o.buffer).name === buffer.name);
    return { buffer, want: output && task.expected.get(output.name) };
  });
  if (!written.some((w) => w.want)) return undefined;
  let maxError = NaN;
  const r = await measurer.measure({ code: g.code, bindings, workgroups: [g.workgroups[0], g.workgroups[1]] }, {
    timeLimitMs: limitMs,
    timing: { warmupRuns: 2, minRuns: 5, minMeasuredMs: 20, maxRuns: 50 },
    verify: (outputs) => {
      maxError = 0;
      for (const [i, { buffer, want }] of written.entries()) {
        if (!want) continue;
        const c = compareTensors(fromWords(new Uint32Array(outputs[i]), buffer.dtype, buffer.shape, buffer.name, false), want, TOLERANCE);
        maxError = Math.max(maxError, c.maxRelError);
        if (!c.ok) return { ok: false, maxError, detail: `${buffer.name}: ${c.detail}` };
      }
      return { ok: true, maxError };
    },
  });
  if (!r.ok) {
    const kinds: Record<typeof r.error, FailureKind> = { compile: 'compile-error', runtime: 'runtime-error', 'wrong-result': 'wrong-result', timeout: 'timeout', 'device-lost': 'device-lost' };
    return { ...fail(kinds[r.error], r.detail), maxError: Number.isNaN(maxError) ? null : maxError };
  }
  return { steps, stats: { medianMs: r.medianMs, minMs: r.minMs, maxMs: r.maxMs, runs: r.runMs.length }, failure: null, detail: null, maxError: r.maxError, tolerance: TOLERANCE };
}
