// What the default schedules assume of a device (kernels/schedule.ts ScheduleTarget), from what it
// says of itself. SwiftShader runs each workgroup on one CPU thread, SIMD over its subgroup of 4
// lanes, so it runs about (cores × 4) invocations at once; a hardware GPU keeps tens of thousands
// resident, and without an occupancy query WebGPU lets us see, we assume a mid-sized one. Subgroup
// operations exist where the device was opened with the 'subgroups' feature (kernels/gpu/device.ts
// asks for it wherever the adapter has it); their size is the adapter's minimum subgroup size.

import { availableParallelism } from 'node:os';
import type { GpuDevice } from './gpu/device.js';
import { DEFAULT_TARGET, type ScheduleTarget } from './schedule.js';

/** SwiftShader's subgroup (SIMD) width. */
const SWIFTSHADER_LANES = 4;

/** A device as targetOf needs it: its features and adapter only where it was opened (a stored profile has neither). */
export type TargetSource = Pick<GpuDevice, 'kind' | 'limits'> & Partial<Pick<GpuDevice, 'features' | 'adapter'>>;

export function targetOf(gpu: TargetSource): ScheduleTarget {
  const maxInvocations = gpu.limits.maxComputeInvocationsPerWorkgroup ?? DEFAULT_TARGET.maxInvocations;
  const base = gpu.kind === 'swiftshader'
    ? { ...DEFAULT_TARGET, concurrency: availableParallelism() * SWIFTSHADER_LANES, workgroupsAtOnce: availableParallelism(), simdWidth: SWIFTSHADER_LANES }
    : DEFAULT_TARGET;
  const subgroupMinSize = (gpu.adapter?.info as { subgroupMinSize?: number } | undefined)?.subgroupMinSize;
  const subgroups = (gpu.features ?? []).includes('subgroups') && subgroupMinSize !== undefined && subgroupMinSize > 0;
  return { ...base, maxInvocations, subgroups, subgroupSize: subgroups ? subgroupMinSize : base.simdWidth, kind: gpu.kind };
}
