// The index into a buffer of shape `from` of the element at `index` in its row-major reshape to
// `to`. Equal shapes give the index unchanged, so plain copies stay affine.

import { c, idiv, mod, mul, sum, type Expr } from '../expr.js';
import { sameShape, stridesOf, type Shape } from '../tensor.js';

export function reshapeIndex(index: readonly Expr[], to: Shape, from: Shape): Expr[] {
  if (sameShape(to, from)) return [...index];
  const toStrides = stridesOf(to);
  const flat = sum(index.map((e, i) => mul(e, c(toStrides[i]))));
  const fromStrides = stridesOf(from);
  return from.map((d, j) => {
    if (d === 1) return c(0);
    const q = idiv(flat, c(fromStrides[j]));
    return j === 0 ? q : mod(q, c(d));
  });
}

