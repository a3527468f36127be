// Gemm: Y = alpha · A' · B' + beta · C with A' = transA ? Aᵀ : A (likewise B'), C optional and
// unidirectionally broadcast to [M, N]. One reduction map over k; alpha and beta · C are its
// epilogue.

import { FreightError } from '../../errors.js';
import { acc, add, c, mul, read, v } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import type { Memlet } from '../../program.js';
import { formatShape, fromNumbers, toNumbers, type Shape, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { broadcastIndex, broadcastOffset, requireDtype, requireInput } from '../util.js';

export interface GemmAttrs {
  readonly alpha: number;
  readonly beta: number;
  readonly transA: boolean;
  readonly transB: boolean;
}

/** [M, K, N] of the product, checked. */
function sizesOf(attrs: GemmAttrs, a: Shape, b: Shape): [number, number, number] {
  if (a.length !== 2 || b.length !== 2) {
    throw new FreightError(`A ${formatShape(a)} and B ${formatShape(b)} must both be matrices (rank 2)`);
  }
  const [m, k] = attrs.transA ? [a[1], a[0]] : [a[0], a[1]];
  const [kb, n] = attrs.transB ? [b[1], b[0]] : [b[0], b[1]];
  if (k !== kb) {
    throw new FreightError(`A ${formatShape(a)}${attrs.transA ? ' (transposed)' : ''} has ${k} columns, but B ${formatShape(b)}${attrs.transB ? ' (transposed)' : ''} has ${kb} rows`);
  }
  return [m, k, n];
}

export const gemm: OpDef<GemmAttrs> = {
  type: 'Gemm',
  resolve(ctx) {
    const attrs: GemmAttrs = {
      alpha: ctx.float('alpha', 1),
      beta: ctx.float('beta', 1),
      transA: ctx.int('transA', 0) !== 0,
      transB: ctx.int('transB', 0) !== 0,
    };
    const a = requireInput(ctx, 0, 'A');
    const b = requireInput(ctx, 1, 'B');
    const cInfo = ctx.input(2);
    for (const [info, what] of [[a, 'A'], [b, 'B'], [cInfo, 'C']] as const) if (info) requireDtype(info, ['float32'], what);
    const [m, , n] = sizesOf(attrs, a.shape, b.shape);
    if (cInfo) {
      const s = cInfo.shape;
      const fits = s.length <= 2 && s.every((d, i) => d === 1 || d === [m, n][2 - s.length + i]);
      if (!fits) throw new FreightError(`C ${formatShape(s)} cannot be broadcast to the product's shape [${m},${n}]`);
    }
    return { attrs };
  },

  infer(attrs, [a, b]): ValueInfo[] {
    const [m, , n] = sizesOf(attrs, a!.shape, b!.shape);
    return [{ dtype: 'float32', shape: [m, n] }];
  },

  reference(attrs, [a, b, cT], [out]): Tensor[] {
    const [m, k, n] = sizesOf(attrs, a!.shape, b!.shape);
    const xs = toNumbers(a!);
    const ys = toNumbers(b!);
    const cs = cT ? toNumbers(cT) : undefined;
    const y = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let t = 0; t < k; t++) {
          const x = attrs.transA ? xs[t * m + i] : xs[i * k + t];
          const w = attrs.transB ? ys[j * k + t] : ys[t * n + j];
          sum += x * w;
        }
        const bias = cs && attrs.beta !== 0 ? attrs.beta * cs[broadcastOffset(cT!.shape, [i, j])] : 0;
        y[i * n + j] = attrs.alpha * sum + bias;
      }
    }
    return [fromNumbers('float32', out.shape, y)];
  },

  lower(ctx, attrs) {
    const a = ctx.input(0);
    const b = ctx.input(1);
    const cBuf = ctx.optionalInput(2);
    const out = ctx.output(0);
    const [m, k, n] = sizesOf(attrs, a.shape, b.shape);
    const [i, j, t] = [v('m'), v('n'), v('k')];
    const reads: Memlet[] = [
      { buffer: a.name, index: attrs.transA ? [t, i] : [i, t] },
      { buffer: b.name, index: attrs.transB ? [j, t] : [t, j] },
    ];
    // beta = 0 drops C entirely, so that an infinite or NaN C does not leak through 0 · C.
    const withC = cBuf !== undefined && attrs.beta !== 0;
    if (withC) reads.push({ buffer: cBuf.name, index: broadcastIndex(cBuf.shape, [i, j]) });
    const scaled = mul(acc, c(attrs.alpha));
    const epilogue = withC ? add(scaled, mul(read(2), c(attrs.beta))) : scaled;
    ctx.map({
      dims: [{ name: 'm', extent: m }, { name: 'n', extent: n }, { name: 'k', extent: k, reduce: true }],
      reads,
      body: mul(read(0), read(1)),
      write: { buffer: out.name, index: [i, j], wcr: 'sum' },
      ...(epilogue === acc ? {} : { epilogue }),
    });
  },
};
