// Workgroup tiles and staging in workgroup memory on WebGPU against the loop interpreter, outputs
// poisoned with NaN: GEMM and a padded, strided convolution whose extents divide neither the tiles,
// the register blocks nor the chunks, tiles alone and with one or both GEMM operands staged.

import { describe, expect, it } from 'vitest';
import type { ScheduleStep } from '../schedule.js';
import { block, checkScheduled as check, step } from './run-scheduled.js';
import { conv, gemm } from './test-programs.js';

const tile = (dim: string, size: number): ScheduleStep => step('tile', { dim, size });
const stage = (read: number, k: number): ScheduleStep => step('stage', { read, k });

describe('tiled GEMM', () => {
  it('tiles without staging', async () => {
    const code = await check(gemm(9, 11, 13), [tile('m', 4), tile('n', 4)]);
    expect(code).toContain('@workgroup_size(16)');
    expect(code).not.toContain('workgroupBarrier');
  });

  it.each([
    ['both operands, chunk 4', [tile('m', 4), tile('n', 4), stage(0, 4), stage(1, 4)]],
    ['A only, chunk 5', [tile('m', 2), tile('n', 8), stage(0, 5)]],
    ['B only, register blocked 4×2', [block('m', 4), block('n', 2), tile('m', 2), tile('n', 4), stage(1, 3)]],
    ['both, register blocked, chunk past the extent', [block('m', 2), block('n', 4), tile('m', 4), tile('n', 2), stage(0, 16), stage(1, 16)]],
  ] as const)('stages %s', async (_, steps) => {
    const code = await check(gemm(10, 13, 14), steps);
    expect(code).toContain('var<workgroup> s');
    expect(code.match(/workgroupBarrier\(\);/g)).toHaveLength(2);
  });
});

describe('the hardware default', () => {
  it('runs 8×8 tiles of 4×4 register blocks with both operands staged 16 steps at a time, on extents that divide none of them', async () => {
    const steps = [block('m', 4), block('n', 4), tile('m', 8), tile('n', 8), stage(0, 16), stage(1, 16)];
    await check(gemm(37, 45, 40), steps);
  });
});

describe('tiled convolution', () => {
  it.each([
    ['input staged', [tile('oc', 2), tile('ow', 4), stage(0, 4)]],
    ['both staged, blocked along oc', [block('oc', 2), tile('oc', 2), tile('oh', 2), tile('ow', 4), stage(0, 5), stage(1, 5)]],
  ] as const)('padded, stride 2: %s', async (_, steps) => {
    const code = await check(conv({ OC: 5, H: 9, W: 11, k: 3, stride: 2, pad: 1 }), steps);
    expect(code).toContain('var<workgroup> s');
    // The padded read is loaded cooperatively behind its select.
    expect(code).toContain('select(');
  });
});
