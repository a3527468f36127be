import { describe, expect, it } from 'vitest';
import { checkOp, f } from '../../testing/check-op.js';
import { rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';

describe('normalization layers vs ONNX Runtime', () => {
  const r = rng('norm');

  describe('BatchNormalization', () => {
    const params = (c: number) => [uniform(r, [c], 0.5, 2), uniform(r, [c]), uniform(r, [c]), uniform(r, [c], 0.1, 2)];
    for (const shape of [[4, 3], [2, 3, 5], [2, 3, 4, 5]]) {
      it(`[${shape}]`, async () => {
        await checkOp({ op: 'BatchNormalization', inputs: [uniform(r, shape, -3, 3), ...params(shape[1])] });
      });
    }
    it('epsilon and constant parameters', async () => {
      const [s, b, m, v] = params(3);
      await checkOp({
        op: 'BatchNormalization',
        inputs: [uniform(r, [2, 3, 2, 2]), { constant: s }, { constant: b }, { constant: m }, { constant: v }],
        attrs: { epsilon: f(0.5) },
      });
    });
  });

  describe('InstanceNormalization', () => {
    for (const shape of [[2, 3, 5], [2, 3, 4, 4], [1, 2, 3, 2, 2], [2, 2, 1]]) {
      it(`[${shape}]`, async () => {
        const c = shape[1];
        await checkOp({ op: 'InstanceNormalization', inputs: [uniform(r, shape, -3, 3), uniform(r, [c], 0.5, 2), uniform(r, [c])] });
      });
    }
    it('epsilon', async () => {
      await checkOp({ op: 'InstanceNormalization', inputs: [uniform(r, [2, 2, 6]), uniform(r, [2]), uniform(r, [2])], attrs: { epsilon: f(0.3) } });
    });
  });

  describe('LayerNormalization', () => {
    it('default axis (-1) on [2,3,4]', async () => {
      await checkOp({ op: 'LayerNormalization', inputs: [uniform(r, [2, 3, 4], -3, 3), uniform(r, [4]), uniform(r, [4])] });
    });
    it('axis 1 of a 3-D tensor with Mean and InvStdDev', async () => {
      const { ort } = await checkOp({
        op: 'LayerNormalization', inputs: [uniform(r, [2, 3, 4], -3, 3), uniform(r, [3, 4]), uniform(r, [3, 4])],
        attrs: { axis: 1, epsilon: f(1e-3) }, outputs: 3,
      });
      expect(ort[1].shape).toEqual([2, 1, 1]);
      expect(ort[2].shape).toEqual([2, 1, 1]);
    });
    it('axis -2 of a 4-D tensor with Mean only', async () => {
      await checkOp({
        op: 'LayerNormalization', inputs: [uniform(r, [2, 2, 3, 4], -3, 3), uniform(r, [3, 4])], attrs: { axis: -2 }, outputs: 2,
      });
    });
    it('axis 0 (everything) without B, all three outputs', async () => {
      await checkOp({ op: 'LayerNormalization', inputs: [uniform(r, [3, 4]), uniform(r, [3, 4])], attrs: { axis: 0 }, outputs: 3 });
    });
    it('InvStdDev requested without Mean', async () => {
      const x = uniform(r, [3, 5]);
      await checkOp({ op: 'LayerNormalization', inputs: [x, uniform(r, [5]), uniform(r, [5])], outputs: 3 });
    });
    it('rank 1', async () => {
      await checkOp({ op: 'LayerNormalization', inputs: [uniform(r, [6]), uniform(r, [6]), uniform(r, [6])], outputs: 3 });
    });
    it('Scale shaped like X (the spec broadcasts it with numpy rules)', async () => {
      await checkOp({ op: 'LayerNormalization', inputs: [uniform(r, [2, 3, 4]), uniform(r, [2, 3, 4])], attrs: { axis: 1 } });
    });
    it('Scale and B broadcast over the normalized axes', async () => {
      await checkOp({ op: 'LayerNormalization', inputs: [uniform(r, [2, 3, 4]), uniform(r, [4]), uniform(r, [1, 4])], attrs: { axis: 1 } });
    });
  });

  describe('GroupNormalization (opset 21)', () => {
    for (const num_groups of [1, 2, 3, 6]) {
      it(`[2,6,3,3] with ${num_groups} groups`, async () => {
        await checkOp({
          op: 'GroupNormalization', inputs: [uniform(r, [2, 6, 3, 3], -3, 3), uniform(r, [6], 0.5, 2), uniform(r, [6])],
          attrs: { num_groups },
        });
      });
    }
    it('rank 3 with epsilon', async () => {
      await checkOp({
        op: 'GroupNormalization', inputs: [uniform(r, [1, 4, 5]), uniform(r, [4]), uniform(r, [4])], attrs: { num_groups: 2, epsilon: f(0.1) },
      });
    });
  });

  describe('LpNormalization', () => {
    for (const p of [1, 2]) {
      for (const axis of [0, 1, -1]) {
        it(`p ${p} axis ${axis} on [3,4,2]`, async () => {
          await checkOp({ op: 'LpNormalization', inputs: [uniform(r, [3, 4, 2], -2, 2)], attrs: { p, axis } });
        });
      }
      it(`p ${p} with an all-zero row gives zeros`, async () => {
        await checkOp({ op: 'LpNormalization', inputs: [tensorOf('float32', [2, 3], [0, 0, 0, 1, -2, 3])], attrs: { p } });
      });
    }
    it('default attributes (p 2, axis -1)', async () => {
      await checkOp({ op: 'LpNormalization', inputs: [uniform(r, [2, 5])] });
    });
  });
});
