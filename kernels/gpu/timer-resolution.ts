// Measures the resolution of the timestamp queries: many tiny timed dispatches, and the smallest
// non-zero difference between any two distinct timestamps observed. Dawn by default rounds
// timestamps down to multiples of 65 536 ns (a browser's defence against timing attacks); freight
// disables that, and this check shows that it worked.

import type { GpuDevice } from './device.js';
import { timestampPasses } from './timer.js';

export interface TimerResolution {
  /** Smallest non-zero difference between two observed timestamps, in ns (NaN without timestamps). */
  readonly resolutionNs: number;
  /** Whether every timestamp is a multiple of 65 536 ns (Dawn's quantization left on). */
  readonly quantized: boolean;
  /** Timestamps observed. */
  readonly samples: number;
}

const QUANTUM = 65536n;

const TINY = '@group(0) @binding(0) var<storage, read_write> b: array<u32>;\n'
  + '@compute @workgroup_size(1) fn main() { b[0] = b[0] + 1u; }';

export async function measureTimerResolution(gpu: GpuDevice, dispatches = 256): Promise<TimerResolution> {
  if (!gpu.timestamps) return { resolutionNs: NaN, quantized: false, samples: 0 };
  const { device } = gpu;
  const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: TINY }), entryPoint: 'main' } });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }] });
  const encode = (pass: GPUComputePassEncoder): void => {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(1);
  };
  const { beginNs, endNs } = await timestampPasses(gpu, Array.from({ length: dispatches }, () => encode));
  buffer.destroy();
  const stamps = [...beginNs, ...endNs].filter((t) => t > 0n).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let smallest = -1n;
  for (let i = 1; i < stamps.length; i++) {
    const d = stamps[i] - stamps[i - 1];
    if (d > 0n && (smallest < 0n || d < smallest)) smallest = d;
  }
  return {
    resolutionNs: smallest < 0n ? NaN : Number(smallest),
    quantized: stamps.length > 0 && stamps.every((t) => t % QUANTUM === 0n),
    samples: stamps.length,
  };
}
