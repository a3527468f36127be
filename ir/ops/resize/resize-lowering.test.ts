import { describe, expect, it } from 'vitest';
import { affine } from '../../expr.js';
import { lowerGraph } from '../../lower/lower.js';
import type { MapOp } from '../../program.js';
import { resolveGraph } from '../../resolve.js';
import { floatsOf, int, resizeModel, str } from './test-cases.js';

function maps(attrs: Parameters<typeof resizeModel>[1], scales: readonly number[], x = [1, 2, 5, 5]): MapOp[] {
  return lowerGraph(resolveGraph(resizeModel(x, attrs, { scales: floatsOf(scales) }))).kernels.flatMap((k) => k.maps);
}

describe('Resize lowering', () => {
  it('is one map over the output with one computed read for nearest', () => {
    const [m, ...rest] = maps({}, [1, 1, 2, 0.5]);
    expect(rest).toHaveLength(0);
    expect(m.dims.map((d) => d.extent)).toEqual([1, 2, 10, 2]);
    expect(m.reads).toHaveLength(1);
    // N and C read straight through; H and W through the coordinate transformation.
    expect(m.reads[0].index.map((e) => affine(e) !== null)).toEqual([true, true, false, false]);
  });

  it('reads 2^k neighbours for linear over k resized axes, 4^k for cubic', () => {
    expect(maps({ mode: str('linear') }, [1, 1, 2, 0.5])[0].reads).toHaveLength(4);
    expect(maps({ mode: str('linear') }, [1, 1, 1, 3])[0].reads).toHaveLength(2);
    expect(maps({ mode: str('linear') }, [2, 0.5, 1.5], [3, 4, 5])[0].reads).toHaveLength(8);
    expect(maps({ mode: str('cubic') }, [1, 1, 2, 0.5])[0].reads).toHaveLength(16);
  });

  it('sums weighted windows for antialias: one weight-sum map per resized axis, then the output', () => {
    const ms = maps({ mode: str('linear'), antialias: int(1) }, [1, 1, 0.5, 0.25], [1, 2, 8, 8]);
    expect(ms).toHaveLength(3);
    const out = ms[2];
    expect(out.write.wcr).toBe('sum');
    // Window lengths: 2·ceil(support) + 1 with support 2 and 4.
    expect(out.dims.filter((d) => d.reduce).map((d) => d.extent)).toEqual([5, 9]);
  });

  it('copies the input when nothing is resized', () => {
    const ms = maps({ mode: str('linear') }, [1, 1, 1.1, 1.1]);
    expect(ms).toHaveLength(1);
    expect(ms[0].reads[0].index.every((e) => affine(e) !== null)).toBe(true);
  });
});
