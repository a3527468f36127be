import { describe, expect, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { rng, uniform } from '../../testing/random.js';
import { toNumbers } from '../../tensor.js';

describe('Softmax / LogSoftmax vs ONNX Runtime', () => {
  const r = rng('softmax');
  for (const op of ['Softmax', 'LogSoftmax']) {
    describe(op, () => {
      for (const axis of [0, 1, 2, -1, -2, -3]) {
        it(`axis ${axis} of a 3-D tensor with values near ±1000 stays finite`, async () => {
          const { ort } = await checkOp({ op, inputs: [uniform(r, [3, 4, 5], -1000, 1000)], attrs: { axis } });
          expect(Array.from(toNumbers(ort[0])).every(Number.isFinite)).toBe(true);
        });
      }
      it('all values 1000 (exp overflows without the shift)', async () => {
        await checkOp({ op, inputs: [uniform(r, [2, 6], 1000, 1000.5)] });
      });
      it('default axis (-1) on a 4-D tensor', async () => {
        await checkOp({ op, inputs: [uniform(r, [2, 3, 2, 4], -3, 3)] });
      });
      it('rank 1', async () => {
        await checkOp({ op, inputs: [uniform(r, [7], -3, 3)] });
      });
      it('a size-1 axis', async () => {
        await checkOp({ op, inputs: [uniform(r, [3, 1])], attrs: { axis: 1 } });
      });
      it('an axis of a 4-D tensor in the middle', async () => {
        await checkOp({ op, inputs: [uniform(r, [2, 3, 4, 2], -5, 5)], attrs: { axis: 1 } });
      });
    });
  }
});
