// A whole-model WebGPU plan: every storage buffer allocated once (aliases share their root's),
// constants uploaded once, one dispatch per map of every kernel (one per row kernel, whose maps run
// as phases of one shader: codegen/generate-row-kernel.ts), all dispatches encoded into one
// command buffer with one copy of the outputs into one staging buffer, then one readback. A
// verification run (`poison: true`) first fills outputs and intermediates with NaN / a sentinel,
// so that an element no kernel writes cannot pass as a stale or zero value.

import { FreightError } from '../../ir/errors.js';
import { fuseProgram } from '../../ir/fusion/index.js';
import { storageOf, type Buffer, type Program } from '../../ir/program.js';
import { checkInput } from '../../ir/reference.js';
import { sizeOf, type Tensor } from '../../ir/tensor.js';
import type { GpuDevice } from '../gpu/device.js';
import { resolveSchedule, type MapSchedule, type Schedule } from '../schedule.js';
import { targetOf } from '../target.js';
import { fromWords, gpuBytes, poisonWords, toWords } from './gpu-words.js';
import { parameterBuffer } from './parameter-buffer.js';
import { pipelineCache } from './pipeline-cache.js';
import { planDispatches } from './plan-dispatches.js';

export interface RunOptions {
  /** Fill outputs and intermediates with NaN / a sentinel first (verification runs). */
  readonly poison?: boolean;
}

export interface PlannedDispatch {
  /** `k4.m0`: kernel id and map index; `k4` for a row kernel, dispatched once under k4.m0's schedule. */
  readonly site: string;
  /** The graph nodes the kernel computes. */
  readonly ops: readonly string[];
  readonly schedule: MapSchedule;
  readonly code: string;
  readonly workgroups: readonly [number, number];
}

export interface Plan {
  readonly dispatches: readonly PlannedDispatch[];
  /** Distinct pipelines the plan uses (identical maps share one). */
  readonly pipelines: number;
  run(inputs: Readonly<Record<string, Tensor>>, options?: RunOptions): Promise<Map<string, Tensor>>;
  /** Records every dispatch into `pass`, on the buffers as they are (GPU-only timing). */
  encode(pass: GPUComputePassEncoder): void;
  /** Records dispatch `i` alone (per-kernel timing). */
  encodeDispatch(i: number, pass: GPUComputePassEncoder): void;
}

export interface PlanOptions {
  /** Compile the program after the default fusion plan of ir/fusion (default true). */
  readonly fusion?: boolean;
}

/**
 * The program a plan runs on a device with these limits: the default fusion plan within its binding
 * limit. Tuning, costing and the tuned plan all start here, so their kernels (and workloads) agree.
 */
export function planProgram(lowered: Program, limits: Readonly<Record<string, number>>): Program {
  return fuseProgram(lowered, { maxBindings: limits.maxStorageBuffersPerShaderStage }).program;
}

export async function compilePlan(lowered: Program, gpu: GpuDevice, schedule?: Schedule, options: PlanOptions = {}): Promise<Plan> {
  const program = options.fusion === false ? lowered : planProgram(lowered, gpu.limits);
  const { device } = gpu;
  const schedules = resolveSchedule(program, schedule, targetOf(gpu));
  const bufferOf = (name: string): Buffer => {
    const b = program.buffers.get(name);
    if (!b) throw new Error(`plan: unknown buffer ${name}`);
    return b;
  };

  // Kernels: generated (and checked against the limits) before anything is allocated.
  const { dispatches, generated } = planDispatches(program, schedules, gpu.limits);

  // Storage: one GPU buffer per root.
  const roots = [...program.buffers.values()].filter((b) => !b.aliasOf);
  const storage = new Map<string, GPUBuffer>();
  for (const b of roots) {
    storage.set(b.name, device.createBuffer({
      label: b.name, size: gpuBytes(sizeOf(b.shape)), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    }));
  }
  const gpuBuffer = (name: string): GPUBuffer => storage.get(storageOf(program, name).name)!;
  for (const [name, t] of program.constants) device.queue.writeBuffer(gpuBuffer(name), 0, toWords(t, name));
  const poisoned = roots.filter((b) => b.kind === 'output' || b.kind === 'intermediate' || b.kind === 'transient');

  // Pipelines: compiled in parallel, cached by WGSL text; then bound.
  const cache = pipelineCache(device);
  const siteName = (d: PlannedDispatch): string => `kernel ${d.site} (${d.ops.join(', ') || 'copy'})`;
  const pipelines = await Promise.all(generated.map((g, i) => cache.get(g, siteName(dispatches[i]))));
  const parameters = parameterBuffer(device, generated.map((g) => g.uniforms));
  const bound = generated.map((g, i) => ({
    pipeline: pipelines[i],
    workgroups: g.workgroups,
    group: device.createBindGroup({
      label: dispatches[i].site,
      layout: pipelines[i].getBindGroupLayout(0),
      entries: [...g.bindings.map((b, j) => ({ binding: j, resource: { buffer: storage.get(b.buffer)! } })), ...parameters(i, g.bindings.length)],
    }),
  }));

  // Readback: every output's storage into one staging buffer.
  let stagingBytes = 0;
  const outputs = program.outputs.map(({ name, buffer }) => {
    const b = bufferOf(buffer);
    const bytes = gpuBytes(sizeOf(b.shape));
    const at = stagingBytes;
    stagingBytes += bytes;
    return { name, buffer: b, source: gpuBuffer(buffer), at, bytes };
  });
  const staging = device.createBuffer({ label: 'readback', size: Math.max(4, stagingBytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });

  const encodeDispatch = (i: number, pass: GPUComputePassEncoder): void => {
    const d = bound[i];
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.group);
    pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1]);
  };
  const encode = (pass: GPUComputePassEncoder): void => {
    for (let i = 0; i < bound.length; i++) encodeDispatch(i, pass);
  };

  let queue: Promise<unknown> = Promise.resolve();
  const runOnce = async (inputs: Readonly<Record<string, Tensor>>, options: RunOptions): Promise<Map<string, Tensor>> => {
    const values = program.buffers;
    for (const name of program.inputs) device.queue.writeBuffer(gpuBuffer(name), 0, toWords(checkInput({ values }, name, inputs[name]), name));
    if (options.poison) for (const b of poisoned) device.queue.writeBuffer(storage.get(b.name)!, 0, poisonWords(b.dtype, sizeOf(b.shape)));
    device.pushErrorScope('validation');
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    encode(pass);
    pass.end();
    for (const o of outputs) encoder.copyBufferToBuffer(o.source, 0, staging, o.at, o.bytes);
    device.queue.submit([encoder.finish()]);
    const error = await device.popErrorScope();
    if (error) throw new FreightError(`the WebGPU plan failed validation: ${error.message}`);
    await staging.mapAsync(GPUMapMode.READ);
    const words = new Uint32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    return new Map(outputs.map((o) => [o.name, fromWords(words.subarray(o.at / 4, (o.at + o.bytes) / 4), o.buffer.dtype, o.buffer.shape, o.name, options.poison ?? false)]));
  };

  return {
    dispatches,
    pipelines: new Set(dispatches.map((d) => d.code)).size,
    encode,
    encodeDispatch,
    run(inputs, options = {}) {
      // One run at a time: they share the buffers and the staging buffer.
      const result = queue.then(() => runOnce(inputs, options));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
