import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { tensorOf, toNumbers, type Tensor } from '../../tensor.js';
import { int, runFreight } from '../../testing/freight-only.js';

const axes = (...a: number[]) => ({ constant: tensorOf('int64', [a.length], a) });

const OPS = [
  'ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd',
  'ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSum', 'ReduceLogSumExp',
];

/** Per rank: a shape and the axes sets (null: no axes input, i.e. all axes). */
const CASES: readonly { shape: number[]; sets: (number[] | null)[] }[] = [
  { shape: [5], sets: [[0], [-1], null] },
  { shape: [3, 4], sets: [[1], [1, 0], [-2], null] },
  { shape: [2, 3, 4], sets: [[1], [0, 2], [-1], [-3, -1], null] },
  { shape: [2, 3, 2, 3], sets: [[2], [3, 1], [0, 2], [-3, -1], null] },
];

describe('Reduce* vs ONNX Runtime', () => {
  const r = rng('reduce');
  // LogSum needs positive sums; the others see both signs.
  const data = (op: string, shape: number[]): Tensor => (op === 'ReduceLogSum' ? uniform(r, shape, 0.5, 1.5) : uniform(r, shape, -2, 2));

  for (const op of OPS) {
    describe(op, () => {
      for (const { shape, sets } of CASES) {
        for (const set of sets) {
          for (const keepdims of [0, 1]) {
            it(`[${shape}] axes ${set ? `[${set}]` : 'absent'} keepdims ${keepdims}`, async () => {
              await checkOp({ op, inputs: [data(op, shape), set ? axes(...set) : null], attrs: { keepdims } });
            });
          }
        }
      }
      for (const keepdims of [0, 1]) {
        it(`noop_with_empty_axes=1 with empty axes keepdims ${keepdims} applies the op elementwise`, async () => {
          await checkOp({ op, inputs: [data(op, [2, 3]), axes()], attrs: { noop_with_empty_axes: 1, keepdims } });
        });
      }
      it('noop_with_empty_axes=1 without the axes input', async () => {
        await checkOp({ op, inputs: [data(op, [3, 2])], attrs: { noop_with_empty_axes: 1 } });
      });
      it('an empty axes tensor without noop reduces all axes', async () => {
        await checkOp({ op, inputs: [data(op, [2, 3]), axes()], attrs: { keepdims: 0 } });
      });
      it('a rank-0 input', async () => {
        await checkOp({ op, inputs: [data(op, [])] });
      });
      it('over a zero-size axis (the empty reduction)', async () => {
        await checkOp({ op, inputs: [uniform(r, [2, 0, 3]), axes(1)], attrs: { keepdims: 0 } });
      });
      it('a zero-size kept axis gives an empty result', async () => {
        await checkOp({ op, inputs: [uniform(r, [0, 3]), axes(1)] });
      });
    });
  }

  it('ReduceLogSumExp stays finite for large values', async () => {
    const { ort } = await checkOp({ op: 'ReduceLogSumExp', inputs: [uniform(r, [3, 5], 900, 1000), axes(1)] });
    expect(Array.from(toNumbers(ort[0])).every(Number.isFinite)).toBe(true);
  });

  describe('integer and bool data', () => {
    for (const op of ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceSumSquare']) {
      for (const dtype of ['int32', 'int64'] as const) {
        it(`${op} on ${dtype}`, async () => {
          await checkOp({ op, inputs: [integers(r, [2, 3, 4], -5, 6, dtype), axes(0, 2)], attrs: { keepdims: 0 } });
        });
        it(`${op} on ${dtype} over a zero-size axis`, async () => {
          // An empty max/min is the dtype's lowest/highest value; WebGPU holds int64 as int32.
          const narrowed = dtype === 'int64' && (op === 'ReduceMax' || op === 'ReduceMin');
          await checkOp({ op, inputs: [integers(r, [2, 0], -5, 6, dtype), axes(1)], ...(narrowed ? { legsExempt: 'int64 tensors run on WebGPU as int32' } : {}) });
        });
      }
    }
    it('ReduceMean on int64 truncates toward zero', async () => {
      await checkOp({ op: 'ReduceMean', inputs: [tensorOf('int64', [2, 3], [-7, 1, 1, 7, 1, 0]), axes(1)] });
    });
    for (const op of ['ReduceMax', 'ReduceMin']) {
      it(`${op} on bool`, async () => {
        await checkOp({ op, inputs: [integers(r, [3, 4], 0, 2, 'bool'), axes(1)] });
      });
    }
  });

  // ONNX defines these (Max of nothing is the lowest value, false; Min the highest, true), but
  // ONNX Runtime refuses bool empty reductions, so both interpreters are checked against the spec.
  for (const [op, expected] of [['ReduceMax', 0], ['ReduceMin', 1]] as const) {
    it(`${op} of an empty bool set is ${expected ? 'true' : 'false'} (ONNX spec)`, () => {
      const { reference, loop } = runFreight({ op, inputs: [integers(r, [2, 0], 0, 2, 'bool'), axes(1)], attrs: { keepdims: int(0) } });
      for (const t of [reference[0], loop[0]]) {
        expect(t.dtype).toBe('bool');
        expect(Array.from(t.data, Number)).toEqual([expected, expected]);
      }
    });
  }
});
