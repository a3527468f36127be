// Level-2 fusion on GEMM + bias + ReLU: the sites, the epilogue and inline fusions computing what
// the unfused program computes (NaN-poisoned loop interpreter), refusals with their reasons, and
// the schedule steps of untouched kernels kept.

import { describe, expect, it } from 'vitest';
import { expectSameResults } from '../ir/fusion/test-programs.js';
import { DEFAULT_TARGET, EMPTY_SCHEDULE, resolveSchedule } from '../kernels/schedule.js';
import { FUSE } from './fusion-transformation.js';
import { transformation } from './index.js';
import { gemmBiasRelu } from './test-programs.js';
import type { Scheduled } from './transformation.js';

const x: Scheduled = { program: gemmBiasRelu(8, 8, 16), schedule: EMPTY_SCHEDULE, target: DEFAULT_TARGET, fusion: {} };

describe('fuse', () => {
  it('has the intermediates as sites, and fuses a reduction as an epilogue', () => {
    expect(FUSE.sites(x)).toEqual(['t', 'u']);
    expect(FUSE.check(x, 't', {})).toBeNull();
    const y = FUSE.apply(x, 't', {});
    expect(y.program.kernels.map((k) => k.id)).toEqual(['k1', 'k2']);
    expect(y.program.kernels[0].maps[0].write.wcr).toBe('sum');
    expect(y.program.buffers.has('t')).toBe(false);
    expectSameResults(x.program, y.program);
  });

  it('inlines a parallel producer into its reader, then fuses the chain into one kernel', () => {
    const y = FUSE.apply(FUSE.apply(x, 'u', {}), 't', {});
    expect(y.program.kernels.map((k) => k.id)).toEqual(['k2']);
    expect(y.program.kernels[0].ops).toEqual(['matmul', 'bias', 'relu']);
    expectSameResults(x.program, y.program);
  });

  it('refuses with the reason', () => {
    expect(FUSE.check(x, 'y', {})).toBe('nothing reads \'y\'');
    expect(FUSE.check(x, 'nope', {})).toBe('the program has no buffer \'nope\'');
    expect(FUSE.check({ ...x, fusion: { maxBindings: 3 } }, 't', {})).toMatch(/would bind 4 storage buffers; the limit is 3/);
    expect(() => FUSE.apply(x, 'y', {})).toThrow(/cannot fuse away 'y': nothing reads 'y'/);
  });

  it('keeps the steps of kernels it leaves alone and drops those of the kernels it changes', () => {
    const wg = transformation('workgroup-size')!;
    const scheduled = wg.apply(wg.apply(x, 'k0.m0', { size: 32 }), 'k2.m0', { size: 16 });
    const y = FUSE.apply(scheduled, 't', {});
    expect(y.schedule.steps).toEqual([{ t: 'workgroup-size', at: 'k2.m0', p: { size: 16 } }]);
    expect(() => resolveSchedule(y.program, y.schedule)).not.toThrow();
  });
});
