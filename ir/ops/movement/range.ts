// Range: start, start+delta, … while before limit; length max(ceil((limit-start)/delta), 0).
// The output's static length depends on the values, so all three inputs must be compile-time
// constants; the resolver then folds it (the lowering covers results too big to fold).

import { FreightError } from '../../errors.js';
import { add, c, mul, v } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { elementAt, fromNumbers, type DType, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';

interface RangeAttrs {
  readonly start: number;
  readonly limit: number;
  readonly delta: number;
  readonly dtype: DType;
}

const NAMES = ['start', 'limit', 'delta'] as const;

function lengthOf({ start, limit, delta }: RangeAttrs): number {
  return Math.max(Math.ceil((limit - start) / delta), 0);
}

export const range: OpDef<RangeAttrs> = {
  type: 'Range',
  resolve(ctx) {
    const values = NAMES.map((name, i) => {
      if (!ctx.input(i)) throw new FreightError(`its ${name} input is missing`);
      const t = ctx.constant(i);
      if (!t) {
        throw new FreightError(`its start, limit and delta must be compile-time constants (its output length depends on them), but ${name} is computed at run time`);
      }
      if (t.data.length !== 1) throw new FreightError(`its ${name} must be a scalar, but has ${t.data.length} elements`);
      return t;
    });
    const dtype = values[0].dtype;
    if (values.some((t) => t.dtype !== dtype)) throw new FreightError(`its start, limit and delta have different dtypes (${values.map((t) => t.dtype).join(', ')})`);
    if (dtype === 'bool') throw new FreightError('its inputs must be numbers, not bool');
    const [start, limit, delta] = values.map((t) => elementAt(t, 0));
    if (delta === 0) throw new FreightError('its delta is 0');
    if (![start, limit, delta].every(Number.isFinite)) throw new FreightError(`its start ${start}, limit ${limit} and delta ${delta} must be finite`);
    return { attrs: { start, limit, delta, dtype }, consumed: [0, 1, 2] };
  },
  infer: (attrs): ValueInfo[] => [{ dtype: attrs.dtype, shape: [lengthOf(attrs)] }],
  reference(attrs): Tensor[] {
    // As the ONNX definition: repeatedly add delta, in the output's precision.
    const n = lengthOf(attrs);
    const xs = new Float64Array(n);
    const round = attrs.dtype === 'float32' ? Math.fround : (x: number) => x;
    let x = round(attrs.start);
    for (let i = 0; i < n; i++, x = round(x + round(attrs.delta))) xs[i] = x;
    return [fromNumbers(attrs.dtype, [n], xs)];
  },
  lower(ctx, { start, delta }) {
    const out = ctx.output(0);
    ctx.map({ dims: [{ name: 'i', extent: out.shape[0] }], reads: [], body: add(c(start), mul(v('i'), c(delta))), write: { buffer: out.name, index: [v('i')] } });
  },
};
