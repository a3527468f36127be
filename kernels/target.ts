// What the default schedules assume of a device (kernels/schedule.ts ScheduleTarget), from what it
// says of itself. SwiftShader runs each workgroup on one CPU thread, SIMD over its subgroup of 4
// lanes, so it runs about (cores × 4) invocations at once; a hardware GPU keeps tens of thousands
// resident, and without an occupancy query WebGPU lets us see, we assume a mid-sized one.

import { availableParallelism } from 'node:os';
import type { GpuDevice } from './gpu/device.js';
import { DEFAULT_TARGET, type ScheduleTarget } from './schedule.js';

/** SwiftShader's subgroup (SIMD) width. */
const SWIFTSHADER_LANES = 4;

export function targetOf(gpu: Pick<GpuDevice, 'kind' | 'limits'>): ScheduleTarget {
  const maxInvocations = gpu.limits.maxComputeInvocationsPerWorkgroup ?? DEFAULT_TARGET.maxInvocations;
  if (gpu.kind !== 'swiftshader') return { ...DEFAULT_TARGET, maxInvocations };
  const cores = availableParallelism();
  return { maxInvocations, concurrency: cores * SWIFTSHADER_LANES, workgroupsAtOnce: cores, simdWidth: SWIFTSHADER_LANES };
}
