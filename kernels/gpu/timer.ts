// GPU timing. With the 'timestamp-query' feature each run is one compute pass whose beginning and
// end write timestamps (Dawn's 65.5 µs quantization is disabled when the instance is created, see
// device.ts); without it, each run is timed on the wall clock from submit to onSubmittedWorkDone,
// which includes the submission overhead. Runs repeat after warm-up until a minimum total
// measured time or a maximum run count.

import type { GpuDevice } from './device.js';

export type Encode = (pass: GPUComputePassEncoder) => void;

export interface TimeOptions {
  /** Untimed runs first (pipeline creation, caches, clocks). Default 2. */
  readonly warmupRuns?: number;
  /** Keep running until the measured runs add up to this. Default 50 ms. */
  readonly minMeasuredMs?: number;
  /** Never more runs than this. Default 200. */
  readonly maxRuns?: number;
  /** Never fewer runs than this (a median needs several). Default 3. */
  readonly minRuns?: number;
  /** Use the wall clock even when timestamps are available. */
  readonly wallClock?: boolean;
}

export interface Timing {
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly source: 'timestamp' | 'wall-clock';
}

/** Runs per submission when timing with timestamps: amortizes the readback without long submits. */
const BATCH = 16;

export function summarize(runsMs: readonly number[], source: Timing['source']): Timing {
  const sorted = [...runsMs].sort((a, b) => a - b);
  const n = sorted.length;
  const medianMs = n === 0 ? NaN : n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { runsMs, medianMs, minMs: sorted[0] ?? NaN, maxMs: sorted[n - 1] ?? NaN, source };
}

/**
 * Encodes each function of `encodes` as its own timed compute pass, in one submission, and returns
 * the raw timestamps (ns, on the device's clock). Requires gpu.timestamps.
 */
export async function timestampPasses(gpu: GpuDevice, encodes: readonly Encode[]): Promise<{ beginNs: bigint[]; endNs: bigint[] }> {
  const { device } = gpu;
  const count = encodes.length * 2;
  const querySet = device.createQuerySet({ type: 'timestamp', count });
  const resolve = device.createBuffer({ size: count * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: count * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encodes.forEach((encode, i) => {
    const pass = encoder.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
    encode(pass);
    pass.end();
  });
  encoder.resolveQuerySet(querySet, 0, count, resolve, 0);
  encoder.copyBufferToBuffer(resolve, 0, read, 0, count * 8);
  device.queue.submit([encoder.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const stamps = new BigUint64Array(read.getMappedRange().slice(0));
  read.unmap();
  read.destroy();
  resolve.destroy();
  querySet.destroy();
  const beginNs: bigint[] = [];
  const endNs: bigint[] = [];
  for (let i = 0; i < encodes.length; i++) {
    beginNs.push(stamps[2 * i]);
    endNs.push(stamps[2 * i + 1]);
  }
  return { beginNs, endNs };
}

/** Submits `runs` untimed passes and waits for them. */
export async function runPasses(gpu: GpuDevice, encode: Encode, runs: number): Promise<void> {
  if (runs <= 0) return;
  const encoder = gpu.device.createCommandEncoder();
  for (let i = 0; i < runs; i++) {
    const pass = encoder.beginComputePass();
    encode(pass);
    pass.end();
  }
  gpu.device.queue.submit([encoder.finish()]);
  await gpu.device.queue.onSubmittedWorkDone();
}

/** Times `encode` (one compute pass per run): warm-up, then repeats until enough measured time. */
export async function timeGpu(gpu: GpuDevice, encode: Encode, options: TimeOptions = {}): Promise<Timing> {
  const warmupRuns = options.warmupRuns ?? 2;
  const minMeasuredMs = options.minMeasuredMs ?? 50;
  const maxRuns = Math.max(1, options.maxRuns ?? 200);
  const minRuns = Math.min(maxRuns, options.minRuns ?? 3);
  const useStamps = gpu.timestamps && !options.wallClock;
  await runPasses(gpu, encode, warmupRuns);
  const runsMs: number[] = [];
  let totalMs = 0;
  while (runsMs.length < maxRuns && (runsMs.length < minRuns || totalMs < minMeasuredMs)) {
    if (useStamps) {
      // Grow the batch once the run time is known, so that a fast kernel does not pay one
      // readback per run, and a slow one does not overshoot the target by much.
      const perRunMs = runsMs.length > 0 ? Math.max(totalMs / runsMs.length, 1e-3) : Infinity;
      const wanted = Math.max(minRuns - runsMs.length, Math.ceil((minMeasuredMs - totalMs) / perRunMs), 1);
      const batch = Math.min(wanted, BATCH, maxRuns - runsMs.length);
      const { beginNs, endNs } = await timestampPasses(gpu, Array.from({ length: batch }, () => encode));
      for (let i = 0; i < batch; i++) {
        const ms = Number(endNs[i] - beginNs[i]) / 1e6;
        runsMs.push(ms);
        totalMs += ms;
      }
    } else {
      const start = performance.now();
      await runPasses(gpu, encode, 1);
      const ms = performance.now() - start;
      runsMs.push(ms);
      totalMs += ms;
    }
  }
  return summarize(runsMs, useStamps ? 'timestamp' : 'wall-clock');
}
