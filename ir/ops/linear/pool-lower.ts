// Lowering of MaxPool, AveragePool and LpPool: one reduction map over the kernel offsets, the
// input read at `o*stride + k*dilation - padBegin`, guarded where a window overhangs the input
// (with the identity of the combination: -inf for max, 0 for sums). AveragePool divides in the
// epilogue by the number of taps inside the input (or the padded input), computed from the
// output position alone with min/max; MaxPool's Indices take a second map, the first tap whose
// value equals the maximum.

import { acc, add, bin, c, div, idiv, max, min, mod, mul, read, sel, sub, un, v, type Expr } from '../../expr.js';
import type { Dim, Memlet } from '../../program.js';
import { sizeOf } from '../../tensor.js';
import type { LowerContext } from '../op.js';
import type { PoolAttrs, PoolType } from './pool.js';
import { overhangs, spatialNames, type Window } from './window.js';

/**
 * The number of taps of the window at `o` that land in [lo, hi) along axis `a`: from
 * kmin = max(0, ceil((lo - t)/d)) to kmax = min(K-1, floor((hi-1 - t)/d)), t = o·s - padBegin.
 * Sides that no window crosses fold away, so an interior-only axis is the constant K.
 */
export function tapCount(w: Window, a: number, o: Expr, lo: number, hi: number): Expr {
  const [k, s, d, pad] = [w.kernel[a], w.strides[a], w.dilations[a], w.padBegin[a]];
  const last = (w.out[a] - 1) * s + (k - 1) * d - pad;
  const os = mul(o, c(s));
  const kmin = -pad >= lo ? c(0) : max(c(0), idiv(sub(c(lo + pad + d - 1), os), c(d)));
  const kmax = last <= hi - 1 ? c(k - 1) : min(c(k - 1), idiv(sub(c(hi - 1 + pad), os), c(d)));
  return add(sub(kmax, kmin), c(1));
}

export function lowerPool(ctx: LowerContext, type: PoolType, attrs: PoolAttrs): void {
  const { window: w } = attrs;
  const x = ctx.input(0);
  const y = ctx.output(0);
  const [batch, channels, ...inSizes] = x.shape;
  const names = spatialNames(inSizes.length);
  const o = names.map((s) => v(`o${s}`));
  const k = names.map((s) => v(`k${s}`));
  const dims: Dim[] = [
    { name: 'n', extent: batch },
    { name: 'c', extent: channels },
    ...names.map((s, a) => ({ name: `o${s}`, extent: w.out[a] })),
    ...names.map((s, a) => ({ name: `k${s}`, extent: w.kernel[a], reduce: true })),
  ];
  const inPos = o.map((oa, a) => sub(add(mul(oa, c(w.strides[a])), mul(k[a], c(w.dilations[a]))), c(w.padBegin[a])));
  const guarded = inSizes.some((size, a) => overhangs(w, size, a));
  const readX = (pad: number): Memlet => ({ buffer: x.name, index: [v('n'), v('c'), ...inPos], ...(guarded ? { pad } : {}) });
  const outIndex = [v('n'), v('c'), ...o];

  if (type === 'MaxPool') {
    ctx.map({ dims, reads: [readX(-Infinity)], body: read(0), write: { buffer: y.name, index: outIndex, wcr: 'max' } });
    if (ctx.node.outputs[1]) lowerIndices(ctx, attrs, dims, readX(-Infinity), outIndex, inPos, inSizes);
    return;
  }
  if (type === 'LpPool') {
    const p = attrs.p;
    const body = p === 1 ? un('abs', read(0)) : p === 2 ? mul(read(0), read(0)) : bin('pow', un('abs', read(0)), c(p));
    const epilogue = p === 1 ? undefined : p === 2 ? un('sqrt', acc) : bin('pow', acc, c(1 / p));
    ctx.map({ dims, reads: [readX(0)], body, write: { buffer: y.name, index: outIndex, wcr: 'sum' }, ...(epilogue ? { epilogue } : {}) });
    return;
  }
  const counts = o.map((oa, a) => attrs.countIncludePad
    ? tapCount(w, a, oa, -w.padBegin[a], inSizes[a] + w.padEnd[a])
    : tapCount(w, a, oa, 0, inSizes[a]));
  const constant = counts.filter((e) => e.k === 'const').reduce((p, e) => p * (e.k === 'const' ? e.v : 1), 1);
  const divisor = counts.filter((e) => e.k !== 'const').reduce((p, e) => mul(p, e), c(constant));
  ctx.map({ dims, reads: [readX(0)], body: read(0), write: { buffer: y.name, index: outIndex, wcr: 'sum' }, epilogue: div(acc, divisor) });
}

/**
 * Indices: the smallest row-major position among the taps equal to the maximum (the first in
 * scan order, as ONNX Runtime picks on ties), offset by the plane's start; column-major
 * storage_order converts that position in the epilogue.
 */
function lowerIndices(
  ctx: LowerContext, attrs: PoolAttrs, dims: readonly Dim[], readX: Memlet,
  outIndex: readonly Expr[], inPos: readonly Expr[], inSizes: readonly number[],
): void {
  const y = ctx.output(0);
  const indices = ctx.output(1);
  const rowStrides = inSizes.map((_, a) => sizeOf(inSizes.slice(a + 1)));
  const rowMajor = inPos.reduce((s, p, a) => add(s, mul(p, c(rowStrides[a]))), c(0));
  let position: Expr = acc;
  if (attrs.storageOrder === 1) {
    const colStrides = inSizes.map((_, a) => sizeOf(inSizes.slice(0, a)));
    const coord = (a: number): Expr => mod(idiv(acc, c(rowStrides[a])), c(inSizes[a]));
    position = inSizes.reduce((s, _, a) => add(s, mul(coord(a), c(colStrides[a]))), c(0));
  }
  const planeStart = mul(add(mul(v('n'), c(indices.shape[1])), v('c')), c(sizeOf(inSizes)));
  ctx.map({
    dims,
    reads: [readX, { buffer: y.name, index: [...outIndex] }],
    body: sel(bin('eq', read(0), read(1)), rowMajor, c(Infinity)),
    write: { buffer: indices.name, index: [...outIndex], wcr: 'min' },
    epilogue: add(planeStart, position),
  });
}
