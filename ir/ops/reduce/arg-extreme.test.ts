import { describe, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';

const SHAPES = [[5], [3, 4], [2, 3, 4], [2, 3, 2, 3]];

describe('ArgMax / ArgMin vs ONNX Runtime', () => {
  const r = rng('arg');
  for (const op of ['ArgMax', 'ArgMin']) {
    describe(op, () => {
      for (const shape of SHAPES) {
        // Every axis, written both ways (d and d - rank).
        for (let a = 0; a < shape.length; a++) {
          for (const axis of [a, a - shape.length]) {
            for (const keepdims of [0, 1]) {
              for (const select_last_index of [0, 1]) {
                it(`[${shape}] axis ${axis} keepdims ${keepdims} select_last_index ${select_last_index}, with ties`, async () => {
                  // Integer-valued floats in [0, 3): most rows hold repeated extremes.
                  const x = integers(r, shape, 0, 3, 'float32');
                  await checkOp({ op, inputs: [x], attrs: { axis, keepdims, select_last_index } });
                });
              }
            }
          }
        }
      }
      it('default attributes (axis 0, keepdims 1) on random floats', async () => {
        await checkOp({ op, inputs: [uniform(r, [4, 3])] });
      });
      it('all elements equal: first and last index', async () => {
        const x = tensorOf('float32', [2, 4], [1, 1, 1, 1, 2, 2, 2, 2]);
        await checkOp({ op, inputs: [x], attrs: { axis: 1 } });
        await checkOp({ op, inputs: [x], attrs: { axis: 1, select_last_index: 1 } });
      });
      for (const dtype of ['int32', 'int64'] as const) {
        it(`on ${dtype} with ties`, async () => {
          await checkOp({ op, inputs: [integers(r, [3, 5], -2, 2, dtype)], attrs: { axis: 1, select_last_index: 1 } });
        });
      }
      it('a size-1 axis gives zeros', async () => {
        await checkOp({ op, inputs: [uniform(r, [3, 1, 2])], attrs: { axis: 1, keepdims: 0 } });
      });
    });
  }
});
