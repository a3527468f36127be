// What the calibration learns from: a (kernel, schedule) pair as a fixed-length vector of the
// analytic model's own terms (logs of its bytes per level, FLOPs and predicted time, occupancy,
// what bounds it) and the schedule's choices (which steps are present). Map-level terms are
// averaged over the kernel's maps, each weighted by its share of the predicted time, so that a
// kernel of one heavy map and a few light ones reads like its heavy map.

import type { MapSchedule } from '../kernels/schedule.js';
import type { KernelCost, MapCost } from './cost-kernel.js';

const KERNEL_TERMS: Readonly<Record<string, (c: KernelCost) => number>> = {
  'log predicted ms': (c) => Math.log(c.predictedMs),
  'log bytes moved': (c) => Math.log1p(c.bytesMoved),
  'log memory bytes': (c) => Math.log1p(c.dramBytes),
  'log workgroup-memory bytes': (c) => Math.log1p(c.workgroupBytes),
  'log flops': (c) => Math.log1p(c.flops),
  'launch share': (c) => c.launchMs / c.predictedMs,
  dispatches: (c) => c.dispatches,
};

const MAP_TERMS: Readonly<Record<string, (c: MapCost, s: MapSchedule) => number>> = {
  occupancy: (c) => c.occupancy,
  'log invocations': (c) => Math.log1p(c.invocations),
  'log workgroups': (c) => Math.log1p(c.workgroups),
  'log workgroup size': (_, s) => Math.log(s.workgroupSize),
  'log flops per invocation': (c) => Math.log1p(c.flops / Math.max(1, c.invocations)),
  'memory-bound': (c) => Number(c.boundBy === 'memory'),
  'compute-bound': (c) => Number(c.boundBy === 'compute'),
  'register blocks': (_, s) => (s.registerBlocks ?? []).reduce((n, b) => n + Math.log2(b.size), 0),
  unroll: (_, s) => (s.unroll ?? []).reduce((n, u) => n + Math.log2(u.factor), 0),
  vectorized: (_, s) => s.vectorized?.length ?? 0,
  tiles: (_, s) => s.tiles?.length ?? 0,
  staged: (_, s) => s.staged?.length ?? 0,
  reordered: (_, s) => Number(s.order !== undefined),
  'workgroup tree': (_, s) => Number(s.reduction === 'workgroup-tree'),
  subgroup: (_, s) => Number(s.reduction === 'subgroup'),
  'uniform parameters': (_, s) => Number(s.parameters === 'uniform'),
};

export const FEATURE_NAMES: readonly string[] = [...Object.keys(KERNEL_TERMS), ...Object.keys(MAP_TERMS)];

/** Features of a kernel costed as `cost` under `schedules` (one per map); its predictedMs must be positive. */
export function costFeatures(cost: KernelCost, schedules: readonly MapSchedule[]): Float64Array {
  const x = new Float64Array(FEATURE_NAMES.length);
  const kernelTerms = Object.values(KERNEL_TERMS);
  kernelTerms.forEach((f, j) => { x[j] = f(cost); });
  Object.values(MAP_TERMS).forEach((f, j) => {
    x[kernelTerms.length + j] = cost.maps.reduce((sum, m, i) => sum + (m.predictedMs / cost.predictedMs) * f(m, schedules[i]), 0);
  });
  return x;
}
