import { describe, expect, it } from 'vitest';
import type { Attribute } from '../../graph.js';
import { resolveGraph } from '../../resolve.js';
import { floatsOf, int, int64sOf, ints, resizeModel, str } from './test-cases.js';

type Extra = Parameters<typeof resizeModel>[2];
const refuse = (attrs: Record<string, Attribute>, extra: Extra, x = [1, 2, 4, 4], dtype?: 'int32'): (() => unknown) =>
  () => resolveGraph(resizeModel(x, attrs, extra, dtype));

describe('Resize refuses bad use', () => {
  it('refuses scales and sizes together', () => {
    expect(refuse({}, { scales: floatsOf([1, 1, 2, 2]), sizes: int64sOf([1, 2, 8, 8]) })).toThrow(/both scales and sizes are given/);
  });

  it('refuses neither scales nor sizes', () => {
    expect(refuse({}, {})).toThrow(/neither scales nor sizes is given/);
    expect(refuse({}, { scales: floatsOf([]) })).toThrow(/neither scales nor sizes is given/);
  });

  it('refuses scales or sizes of the wrong length', () => {
    expect(refuse({}, { scales: floatsOf([2, 2]) })).toThrow(/scales has 2 values, but 4 are needed \(one per dimension of X\)/);
    expect(refuse({ axes: ints([2, 3]) }, { sizes: int64sOf([1, 2, 8]) })).toThrow(/sizes has 3 values, but 2 are needed \(one per entry of axes \[2,3\]\)/);
  });

  it('refuses scales or sizes that are not constants', () => {
    expect(refuse({}, { scales: [4] })).toThrow(/its scales \('scales'\) must be known at compile time/);
    expect(refuse({}, { sizes: [4] })).toThrow(/its sizes \('sizes'\) must be known at compile time/);
    expect(refuse({ coordinate_transformation_mode: str('tf_crop_and_resize') }, { roi: [8], scales: floatsOf([1, 1, 2, 2]) }))
      .toThrow(/its roi \('roi'\) must be known at compile time/);
  });

  it('refuses non-positive scales and sizes', () => {
    expect(refuse({}, { scales: floatsOf([1, 1, 0, 2]) })).toThrow(/scales\[2\] is 0; scales must be positive/);
    expect(refuse({}, { sizes: int64sOf([1, 2, 0, 3]) })).toThrow(/sizes\[2\] is 0; sizes must be positive/);
  });

  it('refuses unknown attribute values, naming the attribute', () => {
    expect(refuse({ mode: str('bicubic') }, { scales: floatsOf([1, 1, 2, 2]) })).toThrow(/attribute 'mode' is 'bicubic'; expected one of 'nearest', 'linear', 'cubic'/);
    expect(refuse({ coordinate_transformation_mode: str('corners') }, { scales: floatsOf([1, 1, 2, 2]) })).toThrow(/attribute 'coordinate_transformation_mode'/);
    expect(refuse({ nearest_mode: str('round') }, { scales: floatsOf([1, 1, 2, 2]) })).toThrow(/attribute 'nearest_mode'/);
    expect(refuse({ keep_aspect_ratio_policy: str('fit') }, { sizes: int64sOf([1, 2, 8, 8]) })).toThrow(/attribute 'keep_aspect_ratio_policy'/);
  });

  it('refuses keep_aspect_ratio_policy with scales', () => {
    expect(refuse({ keep_aspect_ratio_policy: str('not_larger') }, { scales: floatsOf([1, 1, 2, 2]) })).toThrow(/applies to sizes only/);
  });

  it('refuses antialias with tf_crop_and_resize', () => {
    expect(refuse({ mode: str('linear'), antialias: int(1), coordinate_transformation_mode: str('tf_crop_and_resize') }, { scales: floatsOf([1, 1, 0.5, 0.5]) }))
      .toThrow(/attribute 'antialias' = 1 with coordinate_transformation_mode 'tf_crop_and_resize' is not supported/);
  });

  it('refuses a roi of the wrong length', () => {
    expect(refuse({ coordinate_transformation_mode: str('tf_crop_and_resize') }, { roi: floatsOf([0, 1]), scales: floatsOf([1, 1, 2, 2]) }))
      .toThrow(/roi has 2 values, but 8 are needed/);
  });

  it('refuses interpolating integers, a scalar X, and axes out of range', () => {
    expect(refuse({ mode: str('linear') }, { scales: floatsOf([1, 1, 2, 2]) }, [1, 2, 4, 4], 'int32')).toThrow(/mode 'linear' interpolates, and X has dtype int32/);
    expect(refuse({}, { scales: floatsOf([]) }, [])).toThrow(/X is a scalar/);
    expect(refuse({ axes: ints([4]) }, { scales: floatsOf([2]) })).toThrow(/axis 4 is out of range/);
  });
});
