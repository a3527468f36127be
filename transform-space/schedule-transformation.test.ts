// Level-1 transformations on a GEMM: sites, spaces, pure apply, JSON steps, and refusals with
// kernels' reasons. Their numerical effect is checked on WebGPU in model-space.gpu.test.ts.

import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGET, EMPTY_SCHEDULE, resolveSchedule } from '../kernels/schedule.js';
import { transformation } from './index.js';
import { gemmBiasRelu } from './test-programs.js';
import type { Scheduled, Transformation } from './transformation.js';

const x: Scheduled = { program: gemmBiasRelu(8, 8, 16), schedule: EMPTY_SCHEDULE, target: DEFAULT_TARGET, fusion: {} };
const t = (name: string): Transformation => transformation(name)!;

describe('level-1 transformations', () => {
  it('apply where the step kind fits', () => {
    expect(t('reduction').sites(x)).toEqual(['k0.m0']);
    expect(t('register-block').sites(x)).toEqual(['k0.m0']);
    expect(t('unroll').sites(x)).toEqual(['k0.m0']);
    expect(t('workgroup-size').sites(x)).toEqual(['k0.m0', 'k1.m0', 'k2.m0']);
    expect(t('reorder').sites(x)).toEqual(['k0.m0', 'k1.m0', 'k2.m0']);
  });

  it('offer bounded spaces: powers of two up to the device limit, one-dim moves, sizes within the extent', () => {
    expect(t('workgroup-size').space(x, 'k1.m0').map((v) => v.size)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    expect(t('unroll').space(x, 'k0.m0')).toEqual([1, 2, 4, 8].map((factor) => ({ dim: 'k', factor })));
    expect(t('reorder').space(x, 'k1.m0')).toEqual([{ order: null }, { order: ['j', 'i'] }]);
    expect(t('vectorize').space(x, 'k0.m0')).toContainEqual({ access: 'write', dim: 'n' });
  });

  it('apply purely, as JSON steps that resolve', () => {
    const y = t('unroll').apply(x, 'k0.m0', { dim: 'k', factor: 4 });
    const z = t('unroll').apply(y, 'k0.m0', { dim: 'k', factor: 8 });
    expect(x.schedule).toEqual(EMPTY_SCHEDULE);
    expect(y.schedule.steps).toEqual([{ t: 'unroll', at: 'k0.m0', p: { dim: 'k', factor: 4 } }]);
    expect(z.schedule.steps).toEqual([t('unroll').step('k0.m0', { dim: 'k', factor: 8 })]);
    expect(resolveSchedule(z.program, z.schedule).get('k0.m0')!.unroll).toEqual([{ dim: 'k', factor: 8 }]);
  });

  it('tile a reduction over workgroups and stage its reads in workgroup memory', () => {
    expect(t('tile').sites(x)).toEqual(['k0.m0']);
    expect(t('stage').sites(x)).toEqual(['k0.m0']);
    expect(t('tile').space(x, 'k0.m0')).toContainEqual({ dim: 'n', size: 4 });
    expect(t('tile').space(x, 'k0.m0').filter((v) => v.dim === 'm').map((v) => v.size)).toEqual([1, 2, 4, 8]);
    expect(t('stage').space(x, 'k0.m0')).toContainEqual({ read: 0, k: null });
    // Staging needs the tiles that share the staged chunk.
    expect(t('stage').check(x, 'k0.m0', { read: 0, k: 8 })).toMatch(/staging in workgroup memory needs workgroup tiles/);
    const tiled = t('tile').apply(t('tile').apply(x, 'k0.m0', { dim: 'm', size: 4 }), 'k0.m0', { dim: 'n', size: 4 });
    const staged = t('stage').apply(t('stage').apply(tiled, 'k0.m0', { read: 0, k: 8 }), 'k0.m0', { read: 1, k: 8 });
    const s = resolveSchedule(staged.program, staged.schedule).get('k0.m0')!;
    expect(s.tiles).toEqual([{ dim: 'm', size: 4 }, { dim: 'n', size: 4 }]);
    expect(s.workgroupSize).toBe(16);
    expect(s.staged).toEqual([{ read: 0, k: 8 }, { read: 1, k: 8 }]);
    expect(t('stage').check(staged, 'k0.m0', { read: 1, k: 4 })).toMatch(/staged reads must share one chunk/);
  });

  it('refuse illegal choices with the reason kernels give', () => {
    const tree = t('reduction').apply(x, 'k0.m0', { strategy: 'workgroup-tree' });
    expect(t('unroll').check(tree, 'k0.m0', { dim: 'k', factor: 4 })).toMatch(/unrolling needs the serial reduction/);
    expect(t('workgroup-size').check(x, 'k1.m0', { size: 512 })).toMatch(/workgroup size 512 is not an integer in \[1, 256\]/);
    expect(t('register-block').check(x, 'k0.m0', { dim: 'n', size: 3 })).toMatch(/register block size 3 is not one of/);
    expect(t('unroll').check(x, 'k1.m0', { dim: 'j', factor: 2 })).toBe("'unroll' does not apply to map 'k1.m0'");
    expect(t('reorder').check(x, 'k9.m0', { order: null })).toBe("there is no map 'k9.m0'");
    expect(() => t('unroll').apply(tree, 'k0.m0', { dim: 'k', factor: 4 })).toThrow(/unrolling needs the serial reduction/);
  });
});
