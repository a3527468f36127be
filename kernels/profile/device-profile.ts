// The device profile (`freight device`): what the adapter is, and what it does when measured —
// copy bandwidth, fp32 FMA rate, dispatch overhead, workgroup-memory bandwidth, timer resolution.
// The cost model's roofline reads it. Each figure is the median of several timed runs; sizes are
// chosen per device kind so that the profile stays within seconds on SwiftShader.

import type { DeviceKind, GpuDevice } from '../gpu/device.js';
import { measureTimerResolution } from '../gpu/timer-resolution.js';
import { timeGpu, type Timing } from '../gpu/timer.js';
import { copyBenchmark, dispatchBenchmark, fmaBenchmark, workgroupMemoryBenchmark, type Microbenchmark } from './microbenchmarks.js';

export interface DeviceProfile {
  readonly device: {
    readonly vendor: string;
    readonly architecture: string;
    readonly device: string;
    readonly description: string;
    readonly kind: DeviceKind;
    readonly name: string;
    readonly fingerprint: string;
  };
  readonly timer: { readonly resolutionNs: number; readonly quantized: boolean; readonly source: Timing['source'] };
  /** Global-memory bandwidth, bytes read plus written, GB/s (1e9 bytes). */
  readonly copyGBps: number;
  /** fp32 fused multiply-add rate, GFLOP/s (an FMA counts two). */
  readonly fmaGflops: number;
  /** Time per empty dispatch within one pass, µs. */
  readonly dispatchUs: number;
  /** Workgroup-memory read bandwidth, GB/s. */
  readonly workgroupMemoryGBps: number;
  /** Each figure's timing runs (ms), for judging repeatability. */
  readonly runs: Readonly<Record<'copy' | 'fma' | 'dispatch' | 'workgroupMemory', { medianMs: number; minMs: number; maxMs: number; runs: number }>>;
  readonly limits: Readonly<Record<string, number>>;
  readonly features: readonly string[];
  /** Wall-clock time the profile took, ms. */
  readonly profileMs: number;
}

interface Sizes { copyBytes: number; fmaGroups: number; fmaIterations: number; dispatches: number; wgGroups: number; wgReads: number; minMeasuredMs: number }

const SIZES: Record<DeviceKind, Sizes> = {
  // SwiftShader runs on the CPU: small enough for a profile in a few seconds.
  swiftshader: { copyBytes: 16 << 20, fmaGroups: 32, fmaIterations: 1024, dispatches: 200, wgGroups: 64, wgReads: 512, minMeasuredMs: 300 },
  hardware: { copyBytes: 256 << 20, fmaGroups: 4096, fmaIterations: 4096, dispatches: 2000, wgGroups: 8192, wgReads: 4096, minMeasuredMs: 200 },
};

async function rate(gpu: GpuDevice, bench: Microbenchmark, minMeasuredMs: number): Promise<{ perMs: number; timing: Timing }> {
  try {
    const timing = await timeGpu(gpu, bench.encode, { warmupRuns: 1, minMeasuredMs, minRuns: 5, maxRuns: 100 });
    return { perMs: bench.work / timing.medianMs, timing };
  } finally {
    bench.release();
  }
}

const summary = (t: Timing) => ({ medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, runs: t.runsMs.length });

export async function profileDevice(gpu: GpuDevice, sizes: Sizes = SIZES[gpu.kind]): Promise<DeviceProfile> {
  const start = performance.now();
  const timer = await measureTimerResolution(gpu);
  const copy = await rate(gpu, copyBenchmark(gpu, sizes.copyBytes), sizes.minMeasuredMs);
  const fma = await rate(gpu, fmaBenchmark(gpu, sizes.fmaGroups, sizes.fmaIterations), sizes.minMeasuredMs);
  const dispatch = await rate(gpu, dispatchBenchmark(gpu, sizes.dispatches), sizes.minMeasuredMs);
  const wg = await rate(gpu, workgroupMemoryBenchmark(gpu, sizes.wgGroups, sizes.wgReads), sizes.minMeasuredMs);
  return {
    device: { ...gpu.info, kind: gpu.kind, name: gpu.name, fingerprint: gpu.fingerprint },
    timer: { resolutionNs: timer.resolutionNs, quantized: timer.quantized, source: copy.timing.source },
    // bytes per ms / 1e6 = GB/s; flops per ms / 1e6 = GFLOP/s.
    copyGBps: copy.perMs / 1e6,
    fmaGflops: fma.perMs / 1e6,
    dispatchUs: 1000 / dispatch.perMs,
    workgroupMemoryGBps: wg.perMs / 1e6,
    runs: { copy: summary(copy.timing), fma: summary(fma.timing), dispatch: summary(dispatch.timing), workgroupMemory: summary(wg.timing) },
    limits: gpu.limits,
    features: gpu.features,
    profileMs: performance.now() - start,
  };
}
