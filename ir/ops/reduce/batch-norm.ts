// BatchNormalization for inference: Y = (X - mean) * scale / sqrt(var + epsilon) + B with the
// per-channel statistics given as inputs, one elementwise map.

import { FreightError } from '../../errors.js';
import { add, bin, c, mul, read, un } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { fromNumbers, sizeOf, stridesOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { dimsOf, requireDtype, requireInput, varsOf } from '../util.js';
import { requireRank, requireShape, epsilonOf } from './checks.js';

export interface BatchNormAttrs {
  readonly epsilon: number;
}

const PARAMS = ['scale', 'B', 'input_mean', 'input_var'] as const;

export const batchNormalization: OpDef<BatchNormAttrs> = {
  type: 'BatchNormalization',
  resolve(ctx) {
    if (ctx.int('training_mode', 0) !== 0) {
      throw new FreightError('training_mode=1 computes batch statistics; freight compiles for inference only');
    }
    const x = requireInput(ctx, 0, 'X');
    requireRank(x, 2, 'X');
    PARAMS.forEach((what, i) => requireShape(requireInput(ctx, i + 1, what), [x.shape[1]], what));
    return { attrs: { epsilon: epsilonOf(ctx, 1e-5) } };
  },
  infer(_attrs, inputs): ValueInfo[] {
    inputs.forEach((info, i) => requireDtype(info!, ['float32'], i === 0 ? 'X' : PARAMS[i - 1]));
    return [{ dtype: 'float32', shape: inputs[0]!.shape }];
  },
  reference(attrs, [x, scale, bias, mean, variance], [out]): Tensor[] {
    const xs = toNumbers(x!);
    const [s, b, m, v] = [scale!, bias!, mean!, variance!].map(toNumbers);
    const channelStride = stridesOf(x!.shape)[1];
    const channels = x!.shape[1];
    const ys = new Float64Array(sizeOf(out.shape));
    for (let i = 0; i < ys.length; i++) {
      const ch = Math.floor(i / channelStride) % channels;
      ys[i] = ((xs[i] - m[ch]) / Math.sqrt(v[ch] + attrs.epsilon)) * s[ch] + b[ch];
    }
    return [fromNumbers('float32', out.shape, ys)];
  },
  lower(ctx, attrs) {
    const x = ctx.input(0);
    const dims = dimsOf(x.shape);
    const full = varsOf(dims);
    const perChannel = [1, 2, 3, 4].map((i) => ({ buffer: ctx.input(i).name, index: [full[1]] }));
    // reads: 0 X, 1 scale, 2 B, 3 mean, 4 var
    const factor = bin('div', read(1), un('sqrt', add(read(4), c(attrs.epsilon))));
    ctx.map({
      dims,
      reads: [{ buffer: x.name, index: full }, ...perChannel],
      body: add(mul(bin('sub', read(0), read(3)), factor), read(2)),
      write: { buffer: ctx.output(0).name, index: full },
    });
  },
};
