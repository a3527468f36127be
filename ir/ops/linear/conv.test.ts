import { describe, expect, it } from 'vitest';
import type { AttrSpec } from '../../testing/check-op.js';
import { checkOp } from '../../testing/check-op.js';
import { rng, uniform } from '../../testing/random.js';
import { int, ints, resolveOne, str } from '../../testing/freight-only.js';

const r = rng('conv');

/** Conv of X [xShape] with W [wShape], with a bias unless `bias` is false. */
async function conv(xShape: number[], wShape: number[], attrs: Record<string, AttrSpec> = {}, bias = true): Promise<void> {
  await checkOp({ op: 'Conv', inputs: [uniform(r, xShape), uniform(r, wShape), bias ? uniform(r, [wShape[0]]) : null], attrs });
}

describe('Conv 2-D', () => {
  it('plain 3x3, no padding', () => conv([2, 4, 7, 7], [6, 4, 3, 3]));
  it('without bias', () => conv([2, 4, 7, 7], [6, 4, 3, 3], {}, false));
  it('constant weights and bias, as exported models have them', () =>
    checkOp({ op: 'Conv', inputs: [uniform(r, [2, 4, 6, 6]), { constant: uniform(r, [3, 4, 3, 3]) }, { constant: uniform(r, [3]) }], attrs: { pads: [1, 1, 1, 1] } }));
  it('1x1', () => conv([2, 4, 5, 5], [3, 4, 1, 1]));
  it('symmetric pads, stride 2', () => conv([2, 4, 7, 7], [6, 4, 3, 3], { pads: [1, 1, 1, 1], strides: [2, 2] }));
  it('asymmetric pads', () => conv([2, 4, 7, 7], [5, 4, 3, 3], { pads: [0, 1, 2, 1] }));
  it('dilations 2 with pads', () => conv([2, 4, 7, 7], [4, 4, 3, 3], { dilations: [2, 2], pads: [2, 1, 1, 2] }));
  it('dilation, stride and padding per axis differ', () => conv([1, 2, 9, 8], [3, 2, 2, 3], { dilations: [2, 1], strides: [1, 2], pads: [1, 0, 0, 2] }));
  it('group 2', () => conv([2, 4, 7, 7], [6, 2, 3, 3], { group: 2, pads: [1, 1, 1, 1] }));
  it('depthwise (group = channels)', () => conv([2, 4, 7, 7], [4, 1, 3, 3], { group: 4, pads: [1, 1, 1, 1], strides: [2, 2] }));
  it('depthwise with channel multiplier 2', () => conv([2, 4, 6, 6], [8, 1, 3, 3], { group: 4 }));
  it('explicit kernel_shape', () => conv([1, 3, 6, 6], [2, 3, 2, 3], { kernel_shape: [2, 3] }));
  for (const autoPad of ['SAME_UPPER', 'SAME_LOWER']) {
    for (const [h, w] of [[7, 7], [6, 6], [7, 6]]) {
      it(`${autoPad}, ${h}x${w}, kernel 2x3, stride 1`, () => conv([2, 4, h, w], [3, 4, 2, 3], { auto_pad: autoPad }));
      it(`${autoPad}, ${h}x${w}, kernel 3, stride 2`, () => conv([2, 4, h, w], [3, 4, 3, 3], { auto_pad: autoPad, strides: [2, 2] }));
    }
  }
  it('SAME with a kernel smaller than the stride clamps the padding at 0', () =>
    conv([2, 4, 8, 7], [3, 4, 1, 2], { auto_pad: 'SAME_UPPER', strides: [2, 4] }));
  it('VALID with stride 2', () => conv([2, 4, 7, 6], [3, 4, 3, 3], { auto_pad: 'VALID', strides: [2, 2] }));
  it('kernel exactly as large as the padded input', () => conv([1, 2, 3, 3], [2, 2, 4, 4], { pads: [1, 0, 0, 1] }));
});

describe('Conv 1-D and 3-D', () => {
  it('1-D with stride, dilation and pads', () => conv([2, 4, 11], [5, 4, 3], { strides: [2], dilations: [2], pads: [2, 1] }));
  it('1-D depthwise SAME_LOWER', () => conv([2, 4, 8], [4, 1, 4], { group: 4, auto_pad: 'SAME_LOWER' }));
  it('3-D with pads and strides', () => conv([1, 2, 5, 6, 5], [3, 2, 3, 2, 3], { pads: [1, 0, 1, 1, 1, 0], strides: [2, 1, 2] }));
  it('3-D grouped with dilation', () => conv([2, 4, 5, 5, 5], [4, 2, 2, 2, 2], { group: 2, dilations: [2, 1, 2] }));
});

describe('Conv refusals', () => {
  it('names both channel counts when X and W disagree', () => {
    expect(() => resolveOne('Conv', [[1, 3, 5, 5], [2, 4, 3, 3]])).toThrow(/X has 3 channels, but W \[2,4,3,3\] expects 4/);
  });
  it('refuses a group that does not divide the channels', () => {
    expect(() => resolveOne('Conv', [[1, 4, 5, 5], [3, 2, 3, 3]], { group: int(3) })).toThrow(/group 3 does not divide the 4 channels/);
    expect(() => resolveOne('Conv', [[1, 4, 5, 5], [3, 2, 3, 3]], { group: int(2) })).toThrow(/group 2 does not divide the 3 output channels/);
  });
  it('refuses negative pads', () => {
    expect(() => resolveOne('Conv', [[1, 2, 5, 5], [2, 2, 3, 3]], { pads: ints([0, -1, 0, 0]) })).toThrow(/pads \[0,-1,0,0\] must be non-negative/);
  });
  it('refuses a kernel larger than the padded input', () => {
    expect(() => resolveOne('Conv', [[1, 2, 4, 4], [2, 2, 3, 3]], { dilations: ints([2, 1]) })).toThrow(/kernel spans 5 along spatial axis 0, more than the padded input size 4/);
  });
  it('refuses a kernel_shape that disagrees with W', () => {
    expect(() => resolveOne('Conv', [[1, 2, 5, 5], [2, 2, 3, 3]], { kernel_shape: ints([3, 2]) })).toThrow(/kernel_shape \[3,2\] does not match/);
  });
  it('refuses pads together with auto_pad, and SAME with dilations', () => {
    expect(() => resolveOne('Conv', [[1, 2, 5, 5], [2, 2, 3, 3]], { auto_pad: str('SAME_UPPER'), pads: ints([1, 1, 1, 1]) })).toThrow(/cannot be combined with auto_pad SAME_UPPER/);
    expect(() => resolveOne('Conv', [[1, 2, 5, 5], [2, 2, 3, 3]], { auto_pad: str('SAME_LOWER'), dilations: ints([2, 2]) })).toThrow(/SAME_LOWER with dilations \[2,2\] is not supported/);
    expect(() => resolveOne('Conv', [[1, 2, 5, 5], [2, 2, 3, 3]], { auto_pad: str('SAME') })).toThrow(/auto_pad 'SAME' is not one of/);
  });
  it('refuses a bias of the wrong length and a rank mismatch', () => {
    expect(() => resolveOne('Conv', [[1, 2, 5, 5], [3, 2, 3, 3], [2]])).toThrow(/B has shape \[2\], but it must be \[3\]/);
    expect(() => resolveOne('Conv', [[1, 2, 5, 5], [3, 2, 3]])).toThrow(/W has shape \[3,2,3\]/);
    expect(() => resolveOne('Conv', [[2, 5], [3, 2]])).toThrow(/at least one spatial axis/);
  });
});
