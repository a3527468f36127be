// Hand-written WGSL microbenchmarks for the device profile. Each builds its buffers and pipeline on
// a device and returns the work of one run with the amount of work it does, so that the profile
// divides a measured time into a rate.

import type { GpuDevice } from '../gpu/device.js';
import type { Encode } from '../gpu/timer.js';

export interface Microbenchmark {
  readonly encode: Encode;
  /** Units of work per run: bytes for bandwidths, flops for the FMA rate, dispatches for overhead. */
  readonly work: number;
  readonly release: () => void;
}

function pipelineOf(gpu: GpuDevice, code: string): GPUComputePipeline {
  const { device } = gpu;
  return device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
}

function storage(gpu: GpuDevice, bytes: number): GPUBuffer {
  return gpu.device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE });
}

const WG = 256;

/** Global memory: each invocation copies one vec4<f32>; work = bytes read + written. */
export function copyBenchmark(gpu: GpuDevice, bytes: number): Microbenchmark {
  const vec4s = Math.floor(bytes / 16 / WG) * WG;
  const groups = vec4s / WG;
  // 2D grid: a dimension holds at most maxComputeWorkgroupsPerDimension workgroups.
  const gx = Math.min(groups, 32768);
  const gy = Math.ceil(groups / gx);
  const code = `@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@compute @workgroup_size(${WG}) fn main(@builtin(global_invocation_id) g: vec3u) {
  let i = g.y * ${gx * WG}u + g.x;
  if (i < ${vec4s}u) { dst[i] = src[i]; }
}`;
  const pipeline = pipelineOf(gpu, code);
  const a = storage(gpu, vec4s * 16);
  const b = storage(gpu, vec4s * 16);
  const bindGroup = gpu.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: a } }, { binding: 1, resource: { buffer: b } }] });
  return {
    work: 2 * vec4s * 16,
    encode: (pass) => { pass.setPipeline(pipeline); pass.setBindGroup(0, bindGroup); pass.dispatchWorkgroups(gx, gy); },
    release: () => { a.destroy(); b.destroy(); },
  };
}

/** Arithmetic: four independent chains of dependent vec4 FMAs per invocation; work = flops. */
export function fmaBenchmark(gpu: GpuDevice, workgroups: number, iterations: number): Microbenchmark {
  const code = `@group(0) @binding(0) var<storage, read_write> out: array<vec4<f32>>;
@compute @workgroup_size(${WG}) fn main(@builtin(global_invocation_id) g: vec3u) {
  let s = f32(g.x) * 1e-6;
  var a = vec4<f32>(s, s + 1.0, s + 2.0, s + 3.0);
  var b = a + 0.5; var c = a + 0.25; var d = a + 0.125;
  let m = vec4<f32>(0.9999, 0.9998, 0.9997, 0.9996);
  let k = vec4<f32>(1e-4, 2e-4, 3e-4, 4e-4);
  for (var i = 0u; i < ${iterations}u; i++) {
    a = fma(a, m, k); b = fma(b, m, k); c = fma(c, m, k); d = fma(d, m, k);
  }
  out[g.x] = a + b + c + d;
}`;
  const pipeline = pipelineOf(gpu, code);
  const out = storage(gpu, workgroups * WG * 16);
  const bindGroup = gpu.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] });
  return {
    work: workgroups * WG * iterations * 4 * 4 * 2,
    encode: (pass) => { pass.setPipeline(pipeline); pass.setBindGroup(0, bindGroup); pass.dispatchWorkgroups(workgroups); },
    release: () => out.destroy(),
  };
}

/** Overhead: `count` dispatches of an empty one-invocation kernel in one pass; work = dispatches. */
export function dispatchBenchmark(gpu: GpuDevice, count: number): Microbenchmark {
  const pipeline = pipelineOf(gpu, '@compute @workgroup_size(1) fn main() {}');
  return {
    work: count,
    encode: (pass) => {
      pass.setPipeline(pipeline);
      for (let i = 0; i < count; i++) pass.dispatchWorkgroups(1);
    },
    release: () => {},
  };
}

/** Workgroup memory: a vec4 tile written once, then read `reads` times per invocation; work = bytes read. */
export function workgroupMemoryBenchmark(gpu: GpuDevice, workgroups: number, reads: number): Microbenchmark {
  const code = `var<workgroup> tile: array<vec4<f32>, ${WG}>;
@group(0) @binding(0) var<storage, read_write> out: array<vec4<f32>>;
@compute @workgroup_size(${WG}) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(local_invocation_index) l: u32) {
  tile[l] = vec4<f32>(f32(g.x));
  workgroupBarrier();
  var acc = vec4<f32>(0.0);
  var j = l;
  for (var i = 0u; i < ${reads}u; i++) {
    acc += tile[j];
    j = (j + 37u) & ${WG - 1}u;
  }
  out[g.x] = acc;
}`;
  const pipeline = pipelineOf(gpu, code);
  const out = storage(gpu, workgroups * WG * 16);
  const bindGroup = gpu.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] });
  return {
    work: workgroups * WG * reads * 16,
    encode: (pass) => { pass.setPipeline(pipeline); pass.setBindGroup(0, bindGroup); pass.dispatchWorkgroups(workgroups); },
    release: () => out.destroy(),
  };
}
