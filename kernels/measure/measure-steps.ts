// The steps of measuring one candidate kernel on a device: build it, run it once on NaN-filled
// outputs, let the caller verify the outputs, then time it (kernels/gpu/timer.ts). Each step runs
// under a Guard that says how it ended; the in-process measurer's guard races it against a timer
// (measurer.ts), the measurement process's guard tells its parent, which keeps the time
// (isolated-measurer.ts). Every failure becomes a MeasureResult value.

import type { GpuDevice } from '../gpu/device.js';
import { timeGpu, type Encode, type TimeOptions } from '../gpu/timer.js';
import type { KernelSpec } from './kernel-spec.js';
import { failure, type MeasureResult, type Verdict } from './measure-result.js';

/** The work of one candidate, built on a device. */
export interface PreparedWork {
  /** Records one run into a compute pass. */
  readonly encode: Encode;
  /** Buffers filled with NaN before the verification run and read back after it (COPY_SRC | COPY_DST). */
  readonly outputs: readonly GPUBuffer[];
}

/** Builds a candidate on a device; throws CompileFailure (or anything) when it cannot be built. */
export type Prepare = (gpu: GpuDevice) => PreparedWork | Promise<PreparedWork>;

export class CompileFailure extends Error {}

export interface MeasureOptions {
  /** Checks the outputs of the verification run; without it the candidate is timed unverified. */
  readonly verify?: (outputs: readonly ArrayBuffer[]) => Verdict | Promise<Verdict>;
  /** Time limit for the verification run, and again for the timing runs. Default 10 s. */
  readonly timeLimitMs?: number;
  readonly timing?: TimeOptions;
  /** A physical lower bound on one run (e.g. bytes moved / peak bandwidth); faster is rejected. */
  readonly minPlausibleMs?: number;
}

/** The steps a guard watches: building the candidate, the verification run, the timing runs. */
export type Phase = 'compile' | 'run' | 'time';

export type Raced<T> =
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'timeout'; readonly limitMs: number }
  | { readonly kind: 'lost'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/** Runs one step of a measurement and says how it ended. */
export type Guard = <T>(phase: Phase, work: () => Promise<T>) => Promise<Raced<T>>;

/** How long the verification run ('run') or the timing runs ('time') may take. */
export function phaseLimitMs(phase: 'run' | 'time', options: MeasureOptions): number {
  const limitMs = options.timeLimitMs ?? 10_000;
  // The timing runs must also fit the measured time they are asked for.
  return phase === 'run' ? limitMs : limitMs + (options.timing?.minMeasuredMs ?? 50) * 2;
}

/** The detail of a timeout in `phase` after `limitMs`. */
export function timeoutDetail(phase: Phase, limitMs: number): string {
  const what = { compile: 'building the kernel', run: 'the verification run', time: 'the timing runs' }[phase];
  return `${what} did not finish within ${limitMs} ms`;
}

export function errorMessage(e: unknown): string {
  return String((e as Error)?.message ?? e);
}

/** `work`'s value or error as a Raced, for guards. */
export function settle<T>(work: Promise<T>): Promise<Raced<T>> {
  return work.then((value): Raced<T> => ({ kind: 'value', value }), (e: unknown): Raced<T> => ({ kind: 'error', message: errorMessage(e) }));
}

/** Compiles a KernelSpec into PreparedWork; compile errors come from getCompilationInfo. */
export async function prepareSpec(gpu: GpuDevice, spec: KernelSpec): Promise<PreparedWork> {
  const { device } = gpu;
  const module = device.createShaderModule({ code: spec.code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) throw new CompileFailure(errors.map((m) => `${m.lineNum}:${m.linePos}: ${m.message}`).join('; '));
  let pipeline: GPUComputePipeline;
  try {
    pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: spec.entryPoint ?? 'main' } });
  } catch (e) {
    throw new CompileFailure(errorMessage(e));
  }
  const outputs: GPUBuffer[] = [];
  const entries: GPUBindGroupEntry[] = spec.bindings.map((b) => {
    const bytes = b.data ? b.data.byteLength : (b.size ?? 0);
    const usage = (b.kind === 'uniform' ? GPUBufferUsage.UNIFORM : GPUBufferUsage.STORAGE) | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const buffer = device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
    if (b.data) device.queue.writeBuffer(buffer, 0, b.data.buffer, b.data.byteOffset, b.data.byteLength);
    if (b.output) outputs.push(buffer);
    return { binding: b.binding, resource: { buffer } };
  });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  const [x, y = 1, z = 1] = spec.workgroups;
  return {
    outputs,
    encode: (pass) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(x, y, z);
    },
  };
}

/** Runs `prepare` inside error scopes, so that validation and memory errors become failures. */
async function build(gpu: GpuDevice, prepare: Prepare): Promise<PreparedWork | MeasureResult> {
  const { device } = gpu;
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let work: PreparedWork | undefined;
  let thrown: unknown;
  try {
    work = await prepare(gpu);
  } catch (e) {
    thrown = e;
  }
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (thrown !== undefined) return failure('compile', errorMessage(thrown));
  if (validation) return failure('compile', validation.message);
  if (oom) return failure('runtime', `out of memory: ${oom.message}`);
  return work!;
}

async function verificationRun(gpu: GpuDevice, work: PreparedWork): Promise<ArrayBuffer[]> {
  const { device } = gpu;
  const reads = work.outputs.map((o) => {
    device.queue.writeBuffer(o, 0, new Float32Array(o.size / 4).fill(NaN));
    return device.createBuffer({ size: o.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  });
  device.pushErrorScope('validation');
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  work.encode(pass);
  pass.end();
  work.outputs.forEach((o, i) => encoder.copyBufferToBuffer(o, 0, reads[i], 0, o.size));
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  if (error) throw new Error(error.message);
  return Promise.all(reads.map(async (r) => {
    await r.mapAsync(GPUMapMode.READ);
    const copy = r.getMappedRange().slice(0);
    r.unmap();
    r.destroy();
    return copy;
  }));
}

/** A step that did not yield a value, as a failure. */
function stepFailure(phase: Phase, ended: Exclude<Raced<unknown>, { kind: 'value' }>): MeasureResult {
  if (ended.kind === 'lost') return failure('device-lost', ended.message);
  if (ended.kind === 'error') return failure(phase === 'compile' ? 'compile' : 'runtime', ended.message);
  return failure('timeout', timeoutDetail(phase, ended.limitMs));
}

/** Measures the candidate `prepare` builds on `gpu`, each step under `guard`. */
export async function measureSteps(gpu: GpuDevice, prepare: Prepare, options: MeasureOptions, guard: Guard): Promise<MeasureResult> {
  const built = await guard('compile', () => build(gpu, prepare));
  if (built.kind !== 'value') return stepFailure('compile', built);
  if ('ok' in built.value) return built.value;
  const work = built.value;

  const run = await guard('run', () => verificationRun(gpu, work));
  if (run.kind !== 'value') return stepFailure('run', run);
  const verdict = await options.verify?.(run.value);
  if (verdict && !verdict.ok) return failure('wrong-result', verdict.detail ?? `max error ${verdict.maxError}`);

  const timed = await guard('time', () => timeGpu(gpu, work.encode, options.timing));
  if (timed.kind !== 'value') return stepFailure('time', timed);
  const t = timed.value;
  if (options.minPlausibleMs !== undefined && t.medianMs < options.minPlausibleMs) {
    return failure('wrong-result', `median ${t.medianMs.toPrecision(3)} ms is faster than the physical limit of ${options.minPlausibleMs.toPrecision(3)} ms`);
  }
  return { ok: true, runMs: t.runsMs, medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, maxError: verdict?.maxError ?? NaN, source: t.source };
}
