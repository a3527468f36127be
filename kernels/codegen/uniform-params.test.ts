// Uniform parameters as text, no GPU: maps that differ only in shapes give the same WGSL under the
// 'parameters' step (and different WGSL without it), their uniforms carry the shapes, and the
// step's check refuses a place it does not know.

import { describe, expect, it } from 'vitest';
import { FreightError } from '../../ir/errors.js';
import { resolveSchedule, type ScheduleStep } from '../schedule.js';
import { generateMap, type GeneratedMap } from './generate-map.js';
import { conv, elementwise, gemm, matvec, type TestCase } from './test-programs.js';
import { paramsOf } from './uniform-params.js';

const at = (t: string, p: Record<string, unknown>): ScheduleStep => ({ t, at: 'k1.m0', p });

/** The map of `c` generated under `steps` (workgroup size pinned: the default's depends on the outputs). */
function generated({ p }: TestCase, steps: readonly ScheduleStep[], place: 'constant' | 'uniform'): GeneratedMap {
  const s = resolveSchedule(p, { v: 1, steps: [at('workgroup-size', { size: 64 }), ...steps, at('parameters', { in: place })] }).get('k1.m0')!;
  return generateMap(p.kernels[0].maps[0], s, { buffer: (name) => p.buffers.get(name)!, root: (name) => p.buffers.get(name)! });
}

describe('the parameters step', () => {
  it.each([
    ['elementwise', elementwise(5, 6, 3), elementwise(8, 3, 4), []],
    ['serial matvec', matvec(5, 7, 11, 'sum'), matvec(9, 3, 5, 'sum'), []],
    ['workgroup tree', matvec(3, 20, 17, 'max'), matvec(2, 9, 40, 'max'), [at('reduction', { strategy: 'workgroup-tree' })]],
    ['blocked, unrolled GEMM', gemm(9, 11, 13), gemm(21, 7, 30), [at('register-block', { dim: 'n', size: 4 }), at('unroll', { dim: 'k', factor: 4 })]],
    ['tiled, staged GEMM', gemm(10, 13, 14), gemm(33, 17, 65), [at('tile', { dim: 'm', size: 4 }), at('tile', { dim: 'n', size: 4 }), at('stage', { read: 0, k: 4 })]],
    ['padded convolution', conv({ OC: 5, H: 9, W: 11, k: 3, stride: 2, pad: 1 }), conv({ OC: 12, H: 15, W: 7, k: 3, stride: 2, pad: 1 }), []],
  ] as const)('%s: two shapes, one WGSL text, their own uniforms', (_, a, b, steps) => {
    const [ua, ub] = [generated(a, steps, 'uniform'), generated(b, steps, 'uniform')];
    expect(ua.code).toBe(ub.code);
    expect(ua.uniforms).toBeDefined();
    expect(ua.uniforms).not.toEqual(ub.uniforms);
    expect(generated(a, steps, 'constant').code).not.toBe(generated(b, steps, 'constant').code);
    expect(generated(a, steps, 'constant').uniforms).toBeUndefined();
  });

  it('puts the extents, strides and index constants in the uniform, the grid bounds last', () => {
    const g = generated(elementwise(5, 6, 3), [], 'uniform');
    const words = [...new Int32Array(g.uniforms!.buffer)];
    // v1 = p % 6, v0 = p / 6; A[j, i] at j·5 + i; B[i, j - 1] tested against 5 and 6 (every
    // bound: another shape may cross it), at i·6 + j - 1 clamped to 29; C[(6i + j) / 3, (6i + j) % 3]
    // at row·3; Y at i·6 + j; then the grid: 64 invocations per row of workgroups, 30 points.
    expect(words).toEqual([6, 6, 5, 1, 5, 6, 6, 29, 6, 3, 6, 3, 3, 6, 64, 30]);
    expect(g.code).toContain('@group(0) @binding(4) var<uniform> u: array<vec4<i32>, 4>;');
  });

  it('refuses a place other than constant or uniform', () => {
    const { p } = gemm(4, 4, 4);
    expect(() => resolveSchedule(p, { v: 1, steps: [at('parameters', { in: 'push-constants' })] }))
      .toThrow(new FreightError("schedule step 'parameters' at 'k1.m0': parameters in 'push-constants': only 'constant' and 'uniform' are supported"));
  });

  it('refuses a parameter beyond the i32 range', () => {
    expect(() => paramsOf('uniform').int(2 ** 31)).toThrow(/the parameter 2147483648 does not fit an i32/);
  });
});
