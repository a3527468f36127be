// The schedule of a row kernel (codegen/generate-row-kernel.ts) is its first map's, at the usual
// site `k4.m0`: the 'reduction' step chooses invocation per row ('serial') or workgroup per row
// ('workgroup-tree', 'subgroup'), 'workgroup-size' the invocations per workgroup. What the other
// maps' sites hold is not used; the level-1 primitives of single maps (register blocks, unrolling,
// reordering, vec4, tiles, staging, uniform parameters) do not apply to a row kernel and are refused.

import type { Kernel } from '../../ir/program.js';
import type { RowLayout } from '../../ir/fusion/index.js';
import type { MapSchedule, ScheduleTarget } from '../schedule.js';

/**
 * Workgroup per row where the rows are too few to occupy the device (below a quarter of the
 * invocations it runs at once, as for default-schedule.ts's reductions): one subgroup per row where
 * the device has subgroup operations, else a workgroup tree as wide as the longest phase (up to
 * 128). Otherwise invocation per row, in workgroups of 64 halved (down to the SIMD width) while too
 * few to keep every core busy. On SwiftShader the rows almost always win: its concurrency is a few
 * SIMD groups, and every barrier is a thread switch.
 */
export function defaultRowSchedule(k: Kernel, layout: RowLayout, target: ScheduleTarget): MapSchedule {
  const rows = layout.extents.reduce((n, x) => n * x, 1);
  if (rows * 4 <= target.concurrency) {
    if (target.subgroups) return { workgroupSize: target.subgroupSize, bind: 'flat', reduction: 'subgroup' };
    const longest = Math.max(...k.maps.map((m) => m.dims.reduce((n, d) => n * d.extent, 1) / rows));
    let workgroupSize = 1;
    while (workgroupSize < Math.min(longest, 128, target.maxInvocations)) workgroupSize *= 2;
    return { workgroupSize: Math.min(workgroupSize, target.maxInvocations), bind: 'flat', reduction: 'workgroup-tree' };
  }
  let workgroupSize = Math.min(64, target.maxInvocations);
  while (workgroupSize / 2 >= target.simdWidth && rows / workgroupSize < target.workgroupsAtOnce) workgroupSize /= 2;
  return { workgroupSize, bind: 'flat', reduction: 'serial' };
}

const SINGLE_MAP_FIELDS = ['registerBlocks', 'unroll', 'order', 'vectorized', 'tiles', 'staged', 'parameters'] as const;

/** Null when a row kernel can run under `s` (its first map's schedule), else the reason. */
export function checkRowSchedule(s: MapSchedule, target: ScheduleTarget): string | null {
  const wg = s.workgroupSize;
  const { maxInvocations } = target;
  if (!Number.isInteger(wg) || wg < 1 || wg > maxInvocations) return `workgroup size ${wg} is not an integer in [1, ${maxInvocations}]`;
  for (const field of SINGLE_MAP_FIELDS) {
    if (s[field] !== undefined && !(field === 'parameters' && s[field] === 'constant')) return `a row kernel takes no '${field}': it runs its maps as phases of one shader`;
  }
  switch (s.reduction) {
    case 'serial': return null;
    case 'workgroup-tree': return (wg & (wg - 1)) === 0 ? null : `a row kernel's workgroup tree needs a power-of-two workgroup size, not ${wg}`;
    case 'subgroup':
      if (!target.subgroups) return 'a subgroup reduction needs subgroup operations, which the device does not offer';
      return wg <= target.subgroupSize ? null : `a row kernel's subgroup runs one subgroup per row: workgroup size ${wg} exceeds the device's subgroup size ${target.subgroupSize}`;
    default: return `reduction '${String(s.reduction)}' is not supported`;
  }
}
