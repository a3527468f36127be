import { describe, expect, it } from 'vitest';
import { checkOp, type AttrSpec } from '../../testing/check-op.js';
import { rng, uniform } from '../../testing/random.js';
import { int, ints, resolveOne, str } from '../../testing/freight-only.js';

const r = rng('conv-transpose');

/** ConvTranspose of X [xShape] with W [wShape], with a bias unless `bias` is false; returns Y's shape. */
async function convT(xShape: number[], wShape: number[], attrs: Record<string, AttrSpec> = {}, bias = true): Promise<readonly number[]> {
  const group = typeof attrs.group === 'number' ? attrs.group : 1;
  const { loop } = await checkOp({
    op: 'ConvTranspose',
    inputs: [uniform(r, xShape), uniform(r, wShape), bias ? uniform(r, [wShape[1] * group]) : null],
    attrs,
  });
  return loop[0].shape;
}

describe('ConvTranspose 2-D', () => {
  it('stride 1, no padding', () => convT([2, 4, 5, 5], [4, 3, 3, 3]));
  it('without bias', () => convT([2, 4, 5, 5], [4, 3, 3, 3], {}, false));
  it('stride 2 with pads', () => convT([2, 4, 4, 4], [4, 3, 3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] }));
  it('stride 2, kernel 4 (the common upsampler)', () => convT([1, 3, 4, 4], [3, 2, 4, 4], { strides: [2, 2], pads: [1, 1, 1, 1] }));
  it('stride larger than the kernel leaves phases with bias only', () => convT([1, 2, 3, 3], [2, 2, 2, 2], { strides: [3, 3] }));
  it('stride 3 and asymmetric pads', () => convT([2, 2, 4, 3], [2, 3, 3, 2], { strides: [3, 2], pads: [0, 1, 2, 1] }));
  it('dilation 2 with stride 1', () => convT([2, 4, 5, 5], [4, 2, 3, 3], { dilations: [2, 2], pads: [1, 2, 0, 1] }));
  it('dilation 2 with stride 2 (taps skip phases)', () => convT([1, 2, 4, 4], [2, 2, 3, 3], { dilations: [2, 2], strides: [2, 2] }));
  it('dilation 3 with stride 2 and pads', () => convT([1, 2, 4, 5], [2, 2, 3, 2], { dilations: [3, 2], strides: [2, 3], pads: [2, 1, 1, 3] }));
  it('output_padding', () => convT([2, 4, 4, 4], [4, 3, 3, 3], { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 0] }));
  it('group 2', () => convT([2, 4, 5, 5], [4, 3, 3, 3], { group: 2, strides: [2, 2], pads: [1, 1, 1, 1] }));
  it('depthwise (group = channels)', () => convT([2, 4, 5, 5], [4, 1, 3, 3], { group: 4, strides: [2, 1] }));
  it('output_shape implies pads (even and odd totals)', async () => {
    expect(await convT([2, 4, 4, 4], [4, 3, 3, 3], { strides: [2, 2], output_shape: [8, 7] })).toEqual([2, 3, 8, 7]);
    expect(await convT([1, 2, 3, 3], [2, 2, 3, 3], { output_shape: [4, 5] })).toEqual([1, 2, 4, 5]);
  });
  it('output_shape beyond the full result adds unreached positions', async () => {
    expect(await convT([1, 2, 3, 3], [2, 2, 2, 2], { strides: [2, 2], output_shape: [7, 6] })).toEqual([1, 2, 7, 6]);
  });
  it('output_shape with SAME_UPPER puts the odd padding at the end', () =>
    convT([1, 2, 4, 4], [2, 2, 3, 3], { strides: [2, 2], output_shape: [8, 6], auto_pad: 'SAME_UPPER' }));
  for (const autoPad of ['SAME_UPPER', 'SAME_LOWER']) {
    it(`${autoPad} with stride 2, odd and even totals`, async () => {
      expect(await convT([2, 2, 4, 5], [2, 3, 3, 4], { auto_pad: autoPad, strides: [2, 2] })).toEqual([2, 3, 8, 10]);
    });
    it(`${autoPad} with stride 1 and output_padding`, () =>
      convT([1, 2, 5, 4], [2, 2, 2, 3], { auto_pad: autoPad, strides: [2, 1], output_padding: [1, 0] }));
  }
  it('SAME_UPPER with dilation 2', () => convT([1, 2, 4, 5], [2, 2, 3, 3], { auto_pad: 'SAME_UPPER', strides: [2, 1], dilations: [2, 2] }));
  it('constant weights', () =>
    checkOp({ op: 'ConvTranspose', inputs: [uniform(r, [1, 2, 3, 3]), { constant: uniform(r, [2, 3, 4, 4]) }], attrs: { strides: [2, 2], pads: [1, 1, 1, 1] } }));
  it('VALID', () => convT([1, 2, 3, 4], [2, 2, 3, 2], { auto_pad: 'VALID', strides: [2, 2] }));
});

describe('ConvTranspose 1-D and 3-D', () => {
  it('1-D strided with output_padding', () => convT([2, 3, 6], [3, 2, 3], { strides: [2], pads: [1, 0], output_padding: [1] }));
  it('1-D with stride 4, dilation 2', () => convT([1, 2, 5], [2, 2, 3], { strides: [4], dilations: [2], pads: [1, 2] }));
  it('3-D strided', () => convT([1, 2, 3, 3, 3], [2, 2, 2, 3, 2], { strides: [2, 2, 1], pads: [0, 1, 1, 1, 0, 0] }));
  it('3-D grouped with output_shape', () => convT([1, 4, 2, 3, 2], [4, 1, 3, 2, 2], { group: 2, strides: [2, 1, 2], output_shape: [4, 4, 5] }));
});

describe('ConvTranspose refusals', () => {
  it('names both channel counts when X and W disagree', () => {
    expect(() => resolveOne('ConvTranspose', [[1, 3, 5, 5], [4, 2, 3, 3]])).toThrow(/X has 3 channels, but W \[4,2,3,3\] expects 4/);
  });
  it('refuses a group that does not divide the channels', () => {
    expect(() => resolveOne('ConvTranspose', [[1, 4, 5, 5], [4, 2, 3, 3]], { group: int(3) })).toThrow(/group 3 does not divide the 4 channels/);
  });
  it('refuses output_padding not below the stride', () => {
    expect(() => resolveOne('ConvTranspose', [[1, 2, 5, 5], [2, 2, 3, 3]], { strides: ints([2, 2]), output_padding: ints([2, 0]) }))
      .toThrow(/output_padding 2 must be smaller than the stride 2 along spatial axis 0/);
  });
  it('refuses an unreachable output_shape', () => {
    expect(() => resolveOne('ConvTranspose', [[1, 2, 3, 3], [2, 2, 2, 2]], { output_shape: ints([5, 4]) }))
      .toThrow(/output_shape \[5,4\] is unreachable along spatial axis 0: the input size 3 gives at most 4/);
    expect(() => resolveOne('ConvTranspose', [[1, 2, 3, 3], [2, 2, 2, 2]], { output_shape: ints([1, 2, 4, 4]) })).toThrow(/one per spatial axis/);
  });
  it('refuses negative pads and pads that remove the whole output', () => {
    expect(() => resolveOne('ConvTranspose', [[1, 2, 3], [2, 2, 2]], { pads: ints([-1, 0]) })).toThrow(/must be non-negative/);
    expect(() => resolveOne('ConvTranspose', [[1, 2, 3], [2, 2, 2]], { pads: ints([2, 2]) })).toThrow(/remove the whole output along spatial axis 0/);
  });
  it('refuses pads with auto_pad', () => {
    expect(() => resolveOne('ConvTranspose', [[1, 2, 3], [2, 2, 2]], { pads: ints([1, 0]), auto_pad: str('SAME_UPPER') })).toThrow(/cannot be combined/);
  });
});
