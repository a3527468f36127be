// Counts and offsets past 32 bits are refused at check time with the reason: a tree or subgroup
// reduction flattening 2^32 steps, 2^31 output points, a read whose offsets leave the i32 range;
// the same map is accepted where its loops stay in range (a serial reduction nests one per dim),
// and the default falls back to it.

import { describe, expect, it } from 'vitest';
import { FreightError } from '../../ir/errors.js';
import { bin, c, read, v } from '../../ir/expr.js';
import type { Buffer, MapOp, Program } from '../../ir/program.js';
import { defaultSchedule } from '../default-schedule.js';
import { DEFAULT_TARGET, resolveSchedule, type ScheduleStep } from '../schedule.js';
import { generateMap } from './generate-map.js';
import { checkIndexRange } from './index-range.js';

const buffer = (name: string, shape: number[]): [string, Buffer] => [name, { name, shape, dtype: 'float32', kind: 'input' }];

function program(m: MapOp, buffers: [string, Buffer][]): Program {
  return { buffers: new Map(buffers), constants: new Map(), inputs: [], outputs: [{ name: 'y', buffer: 'y' }], kernels: [{ id: 'k1', ops: ['test'], maps: [m] }] };
}

/** y[0] = Σ over 2^16 × 2^16 steps of x[k1 mod 8]: 2^32 reduction steps for one output. */
const long: MapOp = {
  dims: [{ name: 'i', extent: 1 }, { name: 'k1', extent: 65536, reduce: true }, { name: 'k2', extent: 65536, reduce: true }],
  reads: [{ buffer: 'x', index: [bin('mod', v('k1'), c(8))] }],
  body: read(0),
  write: { buffer: 'y', index: [v('i')], wcr: 'sum' },
};
const longProgram = program(long, [buffer('x', [8]), buffer('y', [1])]);
const at = (t: string, p: Record<string, unknown>): ScheduleStep => ({ t, at: 'k1.m0', p });

describe('checkIndexRange', () => {
  it('refuses a workgroup tree or subgroup reduction whose flattened loop passes 2^31', () => {
    expect(() => resolveSchedule(longProgram, { v: 1, steps: [at('reduction', { strategy: 'workgroup-tree' })] })).toThrow(new FreightError(
      "schedule step 'reduction' at 'k1.m0': the workgroup-tree reduction flattens 4294967296 steps (k1×k2) into one i32 loop counter, which overflows past 2147483647; use the serial reduction"));
    const subgroups = { ...DEFAULT_TARGET, subgroups: true, subgroupSize: 32 };
    expect(() => resolveSchedule(longProgram, { v: 1, steps: [at('reduction', { strategy: 'subgroup' })] }, subgroups))
      .toThrow(/the subgroup reduction flattens 4294967296 steps \(k1×k2\) into one i32 loop counter/);
  });

  it('refuses it in codegen too, where a schedule was not checked', () => {
    const lookup = { buffer: (name: string) => longProgram.buffers.get(name)!, root: (name: string) => longProgram.buffers.get(name)! };
    expect(() => generateMap(long, { workgroupSize: 128, bind: 'flat', reduction: 'workgroup-tree' }, lookup)).toThrow(/^codegen: the workgroup-tree reduction flattens/);
  });

  it('accepts the loop just inside the range, and a serial reduction over the same 2^32 steps, which the default falls back to', () => {
    const inside: MapOp = { ...long, dims: [long.dims[0], { name: 'k1', extent: 2 ** 31 - 128, reduce: true }] };
    expect(checkIndexRange(inside, { workgroupSize: 128, bind: 'flat', reduction: 'workgroup-tree' })).toBeNull();
    expect(checkIndexRange({ ...inside, dims: [long.dims[0], { name: 'k1', extent: 2 ** 31 - 127, reduce: true }] }, { workgroupSize: 128, bind: 'flat', reduction: 'workgroup-tree' }))
      .toMatch(/flattens 2147483521 steps/);
    expect(resolveSchedule(longProgram, { v: 1, steps: [at('reduction', { strategy: 'serial' })] }).get('k1.m0')!.reduction).toBe('serial');
    expect(defaultSchedule(long).reduction).toBe('serial');
  });

  it('refuses 2^31 output points and a read whose offsets leave the i32 range', () => {
    const wide: MapOp = { dims: [{ name: 'i', extent: 2 ** 16 }, { name: 'j', extent: 2 ** 15 }], reads: [], body: c(1), write: { buffer: 'y', index: [v('i'), v('j')] } };
    expect(checkIndexRange(wide, { workgroupSize: 64, bind: 'flat', reduction: 'serial' }))
      .toBe('the map has 2147483648 output points (65536×32768); its linear index is an i32, which holds at most 2147483647');
    // x[i · 2^20] for i < 4096, padded: offsets up to 4095 · 2^20 before the clamp.
    const strided: MapOp = {
      dims: [{ name: 'i', extent: 4096 }], reads: [{ buffer: 'x', index: [bin('mul', v('i'), c(2 ** 20))], pad: 0 }],
      body: read(0), write: { buffer: 'y', index: [v('i')] },
    };
    const p = program(strided, [buffer('x', [8]), buffer('y', [4096])]);
    expect(() => resolveSchedule(p, { v: 1, steps: [at('workgroup-size', { size: 32 })] }))
      .toThrow(/read 0 reaches offsets 0 to 4293918720, beyond the i32 range of its offset arithmetic/);
  });
});
