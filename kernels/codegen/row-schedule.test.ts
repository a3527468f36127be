// The schedule of a row kernel: defaults by rows against the device's concurrency, the first map's
// steps choosing the strategy, the refusals of what a row kernel cannot take, and the shapes of the
// two strategies' shaders (no barrier per invocation; a barrier between phases per workgroup).

import { describe, expect, it } from 'vitest';
import { rowLayout, type RowLayout } from '../../ir/fusion/index.js';
import { storageOf } from '../../ir/program.js';
import { DEFAULT_TARGET, mapSite, resolveSchedule, type ScheduleStep, type ScheduleTarget } from '../schedule.js';
import { generateRowKernel } from './generate-row-kernel.js';
import { rowModel } from './row-test-models.js';

const { fused } = rowModel('layernorm', [3, 5, 40]);
const k = fused.kernels[0];
const layout = rowLayout(fused, k) as RowLayout;
const lookup = { buffer: (name: string) => fused.buffers.get(name)!, root: (name: string) => storageOf(fused, name) };
/** SwiftShader on 2 cores: 8 invocations at once. */
const CPU: ScheduleTarget = { ...DEFAULT_TARGET, concurrency: 8, workgroupsAtOnce: 2, simdWidth: 4, kind: 'swiftshader' };
const first = (target: ScheduleTarget, steps: readonly ScheduleStep[] = []) => resolveSchedule(fused, { v: 1, steps }, target).get(mapSite(k.id, 0))!;

describe('row kernel schedule', () => {
  it('runs few rows a workgroup each, and many rows an invocation each', () => {
    expect(layout).toEqual({ rowDims: 2, extents: [3, 5] });
    expect(first(DEFAULT_TARGET)).toEqual({ workgroupSize: 64, bind: 'flat', reduction: 'workgroup-tree' });
    expect(first({ ...DEFAULT_TARGET, subgroups: true })).toEqual({ workgroupSize: 32, bind: 'flat', reduction: 'subgroup' });
    expect(first(CPU)).toEqual({ workgroupSize: 4, bind: 'flat', reduction: 'serial' });
    expect(first(CPU, [{ t: 'reduction', at: 'k0.m0', p: { strategy: 'workgroup-tree' } }]).reduction).toBe('workgroup-tree');
  });

  it('refuses what a row kernel cannot take, with the reason', () => {
    expect(() => first(CPU, [{ t: 'register-block', at: 'k0.m1', p: { dim: 'd0', size: 4 } }])).toThrow("schedule step 'register-block' at 'k0.m1': a row kernel takes no 'registerBlocks': it runs its maps as phases of one shader");
    expect(() => first(DEFAULT_TARGET, [{ t: 'workgroup-size', at: 'k0', p: { size: 48 } }])).toThrow("a row kernel's workgroup tree needs a power-of-two workgroup size, not 48");
    expect(() => first(CPU, [{ t: 'reduction', at: 'k0.m0', p: { strategy: 'subgroup' } }])).toThrow('needs subgroup operations');
  });

  it('emits phases without barriers per invocation, and with one between phases per workgroup', () => {
    const perInvocation = generateRowKernel(k, layout, first(CPU), lookup);
    expect(perInvocation.code).not.toMatch(/Barrier/);
    expect(perInvocation.workgroups).toEqual([4, 1]);
    const perWorkgroup = generateRowKernel(k, layout, first(DEFAULT_TARGET), lookup);
    expect(perWorkgroup.code.match(/storageBarrier\(\)/g)).toHaveLength(k.maps.length - 1);
    expect(perWorkgroup.workgroups).toEqual([15, 1]);
    expect(perWorkgroup.bindings.map((b) => b.access)).toEqual(['read_write', 'read_write', 'read_write', ...perWorkgroup.bindings.slice(3).map(() => 'read')]);
  });
});
