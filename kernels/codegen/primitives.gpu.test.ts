// Schedule primitives on WebGPU against the loop interpreter, outputs poisoned with NaN: unrolled
// reduce loops (remainders, full unrolling, unroll-and-jam of an outer loop), reordered dims
// (linearization and loop nesting), vec4 loads and stores (register-blocked and unrolled dims, tail
// tiles), each alone and with register blocking, on GEMM and convolution maps whose extents do not
// divide. Each case also checks that the WGSL holds what the step promises.

import { describe, expect, it } from 'vitest';
import type { ScheduleStep } from '../schedule.js';
import { block, checkScheduled as check, step } from './run-scheduled.js';
import { conv as convCase, gatherMax, gemm, type TestCase } from './test-programs.js';

/** A stride-1 convolution with a k×k kernel and padding `pad`. */
const conv = (OC: number, H: number, W: number, k: number, pad: number): TestCase => convCase({ OC, H, W, k, stride: 1, pad });

const unroll = (dim: string, factor: number): ScheduleStep => step('unroll', { dim, factor });
const vec4 = (access: number | 'write', dim: string): ScheduleStep => step('vectorize', { access, dim });

describe('unroll', () => {
  it('steps the loop by the factor, with a straight-line remainder', async () => {
    const code = await check(gemm(5, 7, 10), [unroll('k', 4)]);
    expect(code).toContain('for (var v2: i32 = 0; v2 < 8; v2 = v2 + 4) {');
    expect(code).toContain('b2[(v2 + 3) * 7 + v1]');
    expect(code).toContain('b2[9 * 7 + v1]');
  });

  it('unrolls fully where the factor exceeds the extent', async () => {
    const code = await check(gemm(6, 6, 3), [unroll('k', 8)]);
    expect(code).not.toContain('for (');
    expect(code).toContain('b2[2 * 6 + v1]');
  });

  it('works with register blocking and tail tiles', async () => {
    const code = await check(gemm(9, 10, 12), [block('m', 4), block('n', 4), unroll('k', 8)]);
    expect(code).toContain('v2 < 8; v2 = v2 + 8)');
    expect(code).toContain('acc3_3 = acc3_3 + (r0_m3_k3 * r1_n3_k3);');
  });

  it('jams the copies of an outer loop into the innermost body, on a guarded convolution', async () => {
    const code = await check(conv(7, 9, 11, 3, 1), [block('oc', 4), block('ow', 4), unroll('c', 4), unroll('kw', 2)]);
    // c (extent 3) is unrolled fully around the kh loop; kw runs once by 2, then its remainder.
    expect(code).not.toContain('for (var v3');
    expect(code).toContain('for (var v5: i32 = 0; v5 < 2; v5 = v5 + 2) {');
  });

  it('keeps an indirect read and a max reduction exact', async () => {
    const code = await check(gatherMax(6, 5, 13), [unroll('k', 2), block('n', 2)]);
    expect(code).toContain('v2 < 12; v2 = v2 + 2)');
  });
});

describe('reorder', () => {
  it('linearizes the parallel dims in the given order', async () => {
    // n slowest, m (3 tiles of 4) fastest across neighbouring invocations.
    const code = await check(gemm(9, 10, 12), [block('m', 4), step('reorder', { order: ['n', 'm', 'k'] })]);
    expect(code).toContain('let v1 = (p / 3);');
    expect(code).toContain('let v0 = p % 3;');
  });

  it('nests the reduce loops in the given order, unrolled and blocked', async () => {
    const code = await check(conv(5, 7, 6, 3, 1), [block('oc', 2), step('reorder', { order: ['oc', 'ow', 'oh', 'kw', 'c', 'kh'] }), unroll('kh', 2)]);
    expect(code.indexOf('for (var v5')).toBeLessThan(code.indexOf('for (var v3'));
    expect(code.indexOf('for (var v3')).toBeLessThan(code.indexOf('for (var v4'));
    expect(code).toContain('let v1 = p % 7;');
  });
});

describe('vectorize', () => {
  it('loads B and the bias and stores Y four at a time along a blocked n', async () => {
    const code = await check(gemm(9, 12, 12), [block('m', 2), block('n', 4), vec4(1, 'n'), vec4(2, 'n'), vec4('write', 'n')]);
    expect(code).toContain('var<storage, read_write> b0: array<vec4<f32>>');
    // Only A is read one element at a time: B and the bias are bound only as vec4.
    expect(code.match(/array<f32>/g)).toHaveLength(1);
    expect(code).toMatch(/let r1_nv0 = b\d\[\(v2 \* 12 \+ v1_0\) \/ 4\];/);
    expect(code).toContain('vec4<f32>((acc0_0 + r2_nv0.x), (acc0_1 + r2_nv0.y), (acc0_2 + r2_nv0.z), (acc0_3 + r2_nv0.w))');
  });

  it('clamps the last vec4 group of a tail tile', async () => {
    // n = 12 in tiles of 8: the second tile's second group lies beyond and is neither kept nor out of bounds.
    const code = await check(gemm(6, 12, 16), [block('n', 8), vec4(1, 'n'), vec4('write', 'n')]);
    expect(code).toContain('let v1_g1 = min(v1_base + 4, 8);');
    expect(code).toContain('if (v1_base + 4 < 12) {');
  });

  it('loads A along an unrolled k and B along a blocked n in the same loop, the remainder scalar', async () => {
    const code = await check(gemm(5, 8, 12), [block('n', 4), unroll('k', 8), vec4(0, 'k'), vec4(1, 'n')]);
    expect(code).toMatch(/let r0_kv1 = b\d\[\(v0 \* 12 \+ \(v2 \+ 4\)\) \/ 4\];/);
    expect(code).toContain('r0_kv1.w');
    expect(code).toMatch(/let r0_k3 = b\d\[v0 \* 12 \+ 11\];/);
  });

  it('loads the input and stores the output of a 1×1 convolution along its width', async () => {
    const code = await check(conv(6, 5, 8, 1, 0), [block('oc', 4), block('ow', 4), vec4(0, 'ow'), vec4('write', 'ow')]);
    expect(code).toContain('let r0_owv0 = ');
    expect(code).toContain('= vec4<f32>(');
  });

  it('stores a padded 3×3 convolution four outputs at a time, tiles of 8 along the width', async () => {
    const code = await check(conv(5, 6, 8, 3, 1), [block('ow', 8), block('oc', 2), vec4('write', 'ow')]);
    expect(code.match(/= vec4<f32>\(/g)).toHaveLength(4);
  });
});
