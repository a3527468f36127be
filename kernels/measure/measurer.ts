// Measures candidate kernels on a device: build, one verification run on NaN-filled outputs under
// a time limit, the caller's verify function, then timing (kernels/gpu/timer.ts). Every failure
// becomes a MeasureResult value. A candidate that runs past its time limit, or loses the device,
// leaves that device abandoned and the measurer opens a fresh one for the next candidate.
//
// Abandoned, not destroyed: Dawn's destroy() waits for the queue to drain, which a kernel that
// never finishes never lets happen. On SwiftShader the abandoned kernel keeps the CPU's worker
// threads until it ends, so the next candidate waits for it; only killing the process stops it.

import { reopenDevice, type GpuDevice } from '../gpu/device.js';
import { timeGpu, type Encode, type TimeOptions } from '../gpu/timer.js';
import type { KernelSpec } from './kernel-spec.js';
import { failure, type MeasureResult, type Verdict } from './measure-result.js';

/** The work of one candidate, built on the measurer's current device. */
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
  readonly verify?: (outputs: readonly ArrayBuffer[]) => Verdict;
  /** Time limit for the verification run, and again for the timing runs. Default 10 s. */
  readonly timeLimitMs?: number;
  readonly timing?: TimeOptions;
  /** A physical lower bound on one run (e.g. bytes moved / peak bandwidth); faster is rejected. */
  readonly minPlausibleMs?: number;
}

export interface Measurer {
  /** The current device; changes after a timeout or a lost device. */
  readonly gpu: GpuDevice;
  measure(spec: KernelSpec, options?: MeasureOptions): Promise<MeasureResult>;
  measureWork(prepare: Prepare, options?: MeasureOptions): Promise<MeasureResult>;
}

type Raced<T> = { kind: 'value'; value: T } | { kind: 'timeout' } | { kind: 'lost'; message: string } | { kind: 'error'; message: string };

function race<T>(gpu: GpuDevice, work: Promise<T>, limitMs: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Raced<T>>((resolve) => { timer = setTimeout(() => resolve({ kind: 'timeout' }), limitMs); });
  const lost = gpu.lost.then((info): Raced<T> => ({ kind: 'lost', message: `${info.reason}: ${info.message}` }));
  const done = work.then((value): Raced<T> => ({ kind: 'value', value }), (e: unknown): Raced<T> => ({ kind: 'error', message: String((e as Error)?.message ?? e) }));
  return Promise.race([done, timeout, lost]).finally(() => clearTimeout(timer));
}

function errorMessage(e: unknown): string {
  return String((e as Error)?.message ?? e);
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

export function createMeasurer(initial: GpuDevice): Measurer {
  let gpu = initial;
  // Abandoned devices stay referenced: Dawn crashes when objects with work in flight are collected.
  const abandoned: GpuDevice[] = [];

  async function replaceDevice(): Promise<void> {
    abandoned.push(gpu);
    gpu = await reopenDevice(gpu);
  }

  async function measureWork(prepare: Prepare, options: MeasureOptions = {}): Promise<MeasureResult> {
    const limitMs = options.timeLimitMs ?? 10_000;
    const current = gpu;
    const { device } = current;

    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let work: PreparedWork | undefined;
    let thrown: unknown;
    try {
      work = await prepare(current);
    } catch (e) {
      thrown = e;
    }
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    if (thrown !== undefined) return failure('compile', errorMessage(thrown));
    if (validation) return failure('compile', validation.message);
    if (oom) return failure('runtime', `out of memory: ${oom.message}`);

    const run = await race(current, verificationRun(current, work!), limitMs);
    if (run.kind === 'timeout') {
      await replaceDevice();
      return failure('timeout', `the verification run did not finish within ${limitMs} ms`);
    }
    if (run.kind === 'lost') {
      await replaceDevice();
      return failure('device-lost', run.message);
    }
    if (run.kind === 'error') return failure('runtime', run.message);

    const verdict = options.verify?.(run.value);
    if (verdict && !verdict.ok) return failure('wrong-result', verdict.detail ?? `max error ${verdict.maxError}`);

    const timed = await race(current, timeGpu(current, work!.encode, options.timing), limitMs + (options.timing?.minMeasuredMs ?? 50) * 2);
    if (timed.kind === 'timeout') {
      await replaceDevice();
      return failure('timeout', `the timing runs did not finish within ${limitMs} ms`);
    }
    if (timed.kind === 'lost') {
      await replaceDevice();
      return failure('device-lost', timed.message);
    }
    if (timed.kind === 'error') return failure('runtime', timed.message);
    const t = timed.value;
    if (options.minPlausibleMs !== undefined && t.medianMs < options.minPlausibleMs) {
      return failure('wrong-result', `median ${t.medianMs.toPrecision(3)} ms is faster than the physical limit of ${options.minPlausibleMs.toPrecision(3)} ms`);
    }
    return { ok: true, runMs: t.runsMs, medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, maxError: verdict?.maxError ?? NaN, source: t.source };
  }

  return {
    get gpu() { return gpu; },
    measureWork,
    measure: (spec, options) => measureWork((g) => prepareSpec(g, spec), options),
  };
}
