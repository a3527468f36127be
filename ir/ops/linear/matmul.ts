// MatMul with numpy semantics: a 1-D operand is promoted to a matrix (A to a row, B to a
// column) and the added axis is dropped from the result; batch axes broadcast. Lowered as one
// reduction map over k whose parallel dims are the broadcast batch axes, m and n.

import { FreightError } from '../../errors.js';
import { mul, read, v, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import type { Dim } from '../../program.js';
import { formatShape, fromNumbers, sizeOf, toNumbers, type Shape, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { broadcastIndex, broadcastOffset, broadcastShapes, requireDtype, unravel } from '../util.js';

/** The operands' roles: batch axes, rows of A (absent when A is 1-D), contraction, columns of B. */
interface Product {
  readonly aBatch: Shape;
  readonly bBatch: Shape;
  readonly batch: Shape;
  readonly rows?: number;
  readonly inner: number;
  readonly cols?: number;
}

function productOf(a: Shape, b: Shape): Product {
  if (a.length === 0 || b.length === 0) {
    throw new FreightError(`MatMul takes no scalars, but got shapes ${formatShape(a)} and ${formatShape(b)}`);
  }
  const inner = a[a.length - 1];
  const bInner = b.length === 1 ? b[0] : b[b.length - 2];
  if (inner !== bInner) {
    throw new FreightError(`A ${formatShape(a)} has ${inner} columns, but B ${formatShape(b)} has ${bInner} rows`);
  }
  const aBatch = a.slice(0, -2);
  const bBatch = b.slice(0, -2);
  return {
    aBatch,
    bBatch,
    batch: broadcastShapes([aBatch, bBatch]),
    inner,
    ...(a.length >= 2 ? { rows: a[a.length - 2] } : {}),
    ...(b.length >= 2 ? { cols: b[b.length - 1] } : {}),
  };
}

const shapeOf = (p: Product): number[] =>
  [...p.batch, ...(p.rows === undefined ? [] : [p.rows]), ...(p.cols === undefined ? [] : [p.cols])];

export const matMul: OpDef<Record<string, never>> = {
  type: 'MatMul',
  resolve: () => ({ attrs: {} }),

  infer(_attrs, [a, b]): ValueInfo[] {
    requireDtype(a!, ['float32', 'int32', 'int64'], 'A');
    if (b!.dtype !== a!.dtype) throw new FreightError(`A has dtype ${a!.dtype}, but B has dtype ${b!.dtype}`);
    return [{ dtype: a!.dtype, shape: shapeOf(productOf(a!.shape, b!.shape)) }];
  },

  reference(_attrs, [a, b], [out]): Tensor[] {
    const p = productOf(a!.shape, b!.shape);
    const xs = toNumbers(a!);
    const ys = toNumbers(b!);
    const rows = p.rows ?? 1;
    const cols = p.cols ?? 1;
    const z = new Float64Array(sizeOf(out.shape));
    for (let flat = 0; flat < z.length; flat++) {
      const batchFlat = Math.floor(flat / (rows * cols));
      const [i, j] = [Math.floor(flat / cols) % rows, flat % cols];
      const batchIdx = unravel(batchFlat, p.batch);
      const aBase = broadcastOffset(p.aBatch, batchIdx) * rows * p.inner + i * p.inner;
      const bBase = broadcastOffset(p.bBatch, batchIdx) * p.inner * cols + j;
      let sum = 0;
      for (let k = 0; k < p.inner; k++) sum += xs[aBase + k] * ys[bBase + k * cols];
      z[flat] = sum;
    }
    return [fromNumbers(out.dtype, out.shape, z)];
  },

  lower(ctx) {
    const a = ctx.input(0);
    const b = ctx.input(1);
    const out = ctx.output(0);
    const p = productOf(a.shape, b.shape);
    const batch = p.batch.map((_, i) => v(`b${i}`));
    const rows: Expr[] = p.rows === undefined ? [] : [v('m')];
    const cols: Expr[] = p.cols === undefined ? [] : [v('n')];
    const dims: Dim[] = [
      ...p.batch.map((extent, i) => ({ name: `b${i}`, extent })),
      ...(p.rows === undefined ? [] : [{ name: 'm', extent: p.rows }]),
      ...(p.cols === undefined ? [] : [{ name: 'n', extent: p.cols }]),
      { name: 'k', extent: p.inner, reduce: true },
    ];
    ctx.map({
      dims,
      reads: [
        { buffer: a.name, index: [...broadcastIndex(p.aBatch, batch), ...rows, v('k')] },
        { buffer: b.name, index: [...broadcastIndex(p.bBatch, batch), v('k'), ...cols] },
      ],
      body: mul(read(0), read(1)),
      write: { buffer: out.name, index: [...batch, ...rows, ...cols], wcr: 'sum' },
    });
  },
};
