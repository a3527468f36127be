// What the cost model knows of a device: the roofline's rates (as `freight device` measures them,
// kernels/profile) and the shape of its parallelism (as the default schedules assume it,
// kernels/target.ts). A plain object, so that a profile read from JSON or the tuning database
// serves as well as a freshly measured one; the optional figures no microbenchmark measures yet
// fall back to a mid-sized GPU's.

export interface CostProfile {
  /** Global-memory bandwidth, bytes read plus written, GB/s (1e9 bytes). */
  readonly copyGBps: number;
  /** fp32 rate, GFLOP/s (an FMA counts two). */
  readonly fmaGflops: number;
  /** Time per dispatch within one pass, µs. */
  readonly dispatchUs: number;
  /** Workgroup-memory bandwidth, GB/s. */
  readonly workgroupMemoryGBps: number;
  /** Invocations that execute in lockstep: 32 on GPUs, 4 on SwiftShader. */
  readonly simdWidth?: number;
  /** Invocations the device runs at once. */
  readonly concurrency?: number;
  /** Workgroups the device runs at once. */
  readonly workgroupsAtOnce?: number;
  /** Last-level cache: a tensor that fits is fetched from memory once per dispatch. */
  readonly l2Bytes?: number;
  /** Bandwidth of re-reads served by that cache, GB/s. */
  readonly cacheGBps?: number;
}

export type ResolvedProfile = Required<CostProfile>;

/** Defaults of the optional figures: a mid-sized GPU (kernels/schedule.ts DEFAULT_TARGET). */
const GPU_SHAPE = { simdWidth: 32, concurrency: 32768, workgroupsAtOnce: 256, l2Bytes: 4 << 20 };
/** Cached re-reads against memory: about what GPUs' L2 and CPUs' last-level caches give. */
const CACHE_SPEEDUP = 4;

/** A nominal GPU, for when no device can be opened to measure one. */
export const NOMINAL_PROFILE: ResolvedProfile = {
  copyGBps: 400, fmaGflops: 10_000, dispatchUs: 5, workgroupMemoryGBps: 2_000, ...GPU_SHAPE, cacheGBps: 400 * CACHE_SPEEDUP,
};

export function resolveProfile(p: CostProfile): ResolvedProfile {
  return {
    copyGBps: p.copyGBps,
    fmaGflops: p.fmaGflops,
    dispatchUs: p.dispatchUs,
    workgroupMemoryGBps: p.workgroupMemoryGBps,
    simdWidth: p.simdWidth ?? GPU_SHAPE.simdWidth,
    concurrency: p.concurrency ?? GPU_SHAPE.concurrency,
    workgroupsAtOnce: p.workgroupsAtOnce ?? GPU_SHAPE.workgroupsAtOnce,
    l2Bytes: p.l2Bytes ?? GPU_SHAPE.l2Bytes,
    cacheGBps: p.cacheGBps ?? p.copyGBps * CACHE_SPEEDUP,
  };
}
