import { describe, expect, it } from 'vitest';
import { checkOp, type AttrSpec } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { int, ints, resolveOne, str } from '../../testing/freight-only.js';

const r = rng('pool');

/** Runs `op` on a random X and returns Y's shape. */
async function pool(op: string, xShape: number[], attrs: Record<string, AttrSpec>, outputs = 1): Promise<readonly number[]> {
  const { loop } = await checkOp({ op, inputs: [uniform(r, xShape)], attrs, outputs });
  return loop[0].shape;
}

/** Attribute sets every pooling operator is tested with, on X [2, 4, 7, 7] unless given. */
const CASES: readonly { name: string; attrs: Record<string, AttrSpec>; x?: number[] }[] = [
  { name: '2x2 stride 2', attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
  { name: '3x3 stride 1, pads 1', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
  { name: 'asymmetric pads and strides', attrs: { kernel_shape: [3, 2], strides: [2, 1], pads: [0, 1, 2, 0] } },
  { name: 'dilations 2 with pads', attrs: { kernel_shape: [3, 3], dilations: [2, 2], pads: [2, 1, 1, 2] } },
  { name: 'dilations, strides and ceil_mode', attrs: { kernel_shape: [2, 3], dilations: [2, 1], strides: [2, 3], ceil_mode: 1 } },
  { name: 'ceil_mode with pads', attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }, x: [2, 4, 6, 6] },
  { name: 'ceil_mode drops a window that would start in the end padding', attrs: { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1], ceil_mode: 1 }, x: [2, 4, 6, 6] },
  { name: 'ceil_mode windows running past the end padding', attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 1, 1, 0], ceil_mode: 1 }, x: [2, 4, 6, 7] },
  { name: 'SAME_UPPER, odd size, stride 2', attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' } },
  { name: 'SAME_UPPER, even size, kernel 2', attrs: { kernel_shape: [2, 2], auto_pad: 'SAME_UPPER' }, x: [2, 4, 6, 6] },
  { name: 'SAME_LOWER, even size, stride 2', attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_LOWER' }, x: [2, 4, 6, 6] },
  { name: 'SAME_LOWER, odd size, kernel 2', attrs: { kernel_shape: [2, 2], auto_pad: 'SAME_LOWER' } },
  { name: 'VALID with ceil_mode', attrs: { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'VALID', ceil_mode: 1 } },
  { name: '1-D', attrs: { kernel_shape: [3], strides: [2], pads: [1, 2] }, x: [2, 3, 9] },
  { name: '3-D', attrs: { kernel_shape: [2, 3, 2], strides: [1, 2, 2], pads: [1, 0, 1, 0, 1, 1] }, x: [1, 2, 4, 5, 5] },
  { name: 'kernel as large as the padded input', attrs: { kernel_shape: [4, 3], pads: [1, 0, 0, 0] }, x: [1, 2, 3, 3] },
];

for (const op of ['MaxPool', 'AveragePool', 'LpPool']) {
  describe(op, () => {
    for (const c of CASES) it(c.name, () => pool(op, c.x ?? [2, 4, 7, 7], c.attrs));
  });
}

describe('AveragePool count_include_pad', () => {
  for (const c of CASES) {
    it(`count_include_pad 1: ${c.name}`, () => pool('AveragePool', c.x ?? [2, 4, 7, 7], { ...c.attrs, count_include_pad: 1 }));
  }
});

describe('MaxPool Indices and LpPool p', () => {
  for (const c of CASES) {
    it(`Indices, row-major: ${c.name}`, () => pool('MaxPool', c.x ?? [2, 4, 7, 7], c.attrs, 2));
  }
  it('Indices, column-major 2-D and 3-D', async () => {
    await pool('MaxPool', [2, 3, 7, 6], { kernel_shape: [3, 2], strides: [2, 1], pads: [1, 0, 1, 1], storage_order: 1 }, 2);
    await pool('MaxPool', [1, 2, 4, 5, 3], { kernel_shape: [2, 2, 2], strides: [2, 1, 1], pads: [0, 1, 0, 1, 0, 1], storage_order: 1 }, 2);
  });
  it('Indices on ties pick the first maximum in scan order', async () => {
    const ties = () => integers(r, [2, 3, 6, 7], 0, 3, 'float32');
    await checkOp({ op: 'MaxPool', inputs: [ties()], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, outputs: 2 });
    await checkOp({ op: 'MaxPool', inputs: [ties()], attrs: { kernel_shape: [2, 3], dilations: [2, 1], ceil_mode: 1, strides: [2, 2], storage_order: 1 }, outputs: 2 });
  });
  it('LpPool with p 1 and 3', async () => {
    await pool('LpPool', [2, 4, 7, 7], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], p: 1 });
    await pool('LpPool', [2, 4, 7, 7], { kernel_shape: [2, 3], dilations: [2, 1], p: 3 });
  });
  it('ceil_mode output sizes', async () => {
    expect(await pool('MaxPool', [1, 1, 6, 6], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1], ceil_mode: 1 })).toEqual([1, 1, 3, 3]);
    expect(await pool('MaxPool', [1, 1, 6, 6], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 })).toEqual([1, 1, 4, 4]);
  });
});

describe('pooling refusals', () => {
  it('refuses negative pads and pads not smaller than the kernel', () => {
    expect(() => resolveOne('MaxPool', [[1, 2, 5, 5]], { kernel_shape: ints([2, 2]), pads: ints([0, -1, 0, 0]) })).toThrow(/must be non-negative/);
    expect(() => resolveOne('AveragePool', [[1, 2, 5, 5]], { kernel_shape: ints([2, 2]), pads: ints([2, 0, 0, 0]) })).toThrow(/must be smaller than kernel_shape \[2,2\]/);
  });
  it('refuses a kernel larger than the padded input', () => {
    expect(() => resolveOne('MaxPool', [[1, 2, 5, 3]], { kernel_shape: ints([2, 5]), pads: ints([0, 1, 0, 0]) })).toThrow(/kernel spans 5 along spatial axis 1, more than the padded input size 4/);
  });
  it('refuses a kernel_shape of the wrong length, or none', () => {
    expect(() => resolveOne('MaxPool', [[1, 2, 5, 5]], { kernel_shape: ints([2]) })).toThrow(/kernel_shape \[2\] has 1 entries, but the input has 2 spatial axes/);
    expect(() => resolveOne('AveragePool', [[1, 2, 5, 5]])).toThrow(/attribute 'kernel_shape' is required/);
  });
  it('refuses a dilated window of padding only', () => {
    expect(() => resolveOne('AveragePool', [[1, 1, 2]], { kernel_shape: ints([2]), dilations: ints([3]), pads: ints([1, 1]) })).toThrow(/window at output 0 of spatial axis 0 covers padding only/);
  });
  it('refuses SAME with dilations, bad ceil_mode and storage_order, and p < 1', () => {
    expect(() => resolveOne('MaxPool', [[1, 2, 5, 5]], { kernel_shape: ints([2, 2]), dilations: ints([2, 2]), auto_pad: str('SAME_UPPER') })).toThrow(/not supported/);
    expect(() => resolveOne('AveragePool', [[1, 2, 5, 6]], { kernel_shape: ints([1, 1]), strides: ints([1, 3]), auto_pad: str('SAME_UPPER') }))
      .toThrow(/SAME_UPPER needs negative padding along spatial axis 1 \(kernel 1, stride 3, size 6\)/);
    expect(() => resolveOne('MaxPool', [[1, 2, 5, 5]], { kernel_shape: ints([2, 2]), ceil_mode: int(2) })).toThrow(/ceil_mode 2 must be 0 or 1/);
    expect(() => resolveOne('MaxPool', [[1, 2, 5, 5]], { kernel_shape: ints([2, 2]), storage_order: int(3) })).toThrow(/storage_order 3/);
    expect(() => resolveOne('LpPool', [[1, 2, 5, 5]], { kernel_shape: ints([2, 2]), p: int(0) })).toThrow(/p 0 must be a positive integer/);
  });
});
