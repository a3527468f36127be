// Index algebra for fusion: which point of a map produced an element (the inverse of an
// injective affine write), and where an element of a reshaped view lives in its storage.
// Dims of extent 1 only ever take the value 0, so they are pinned to 0 before any analysis:
// `X[0, c, h, w]` and `X[n, c, h, w]` are the same access when n < 1.

import { add, affine, c, idiv, mod, mul, printExpr, sub, type Expr } from '../expr.js';
import type { Dim } from '../program.js';
import type { Shape } from '../tensor.js';
import { substitute } from './rewrite.js';

/** `index` with every variable of an extent-1 dim replaced by 0. */
export function pinUnitDims(index: readonly Expr[], dims: readonly Dim[]): Expr[] {
  const unit = new Set(dims.filter((d) => d.extent === 1).map((d) => d.name));
  return index.map((e) => substitute(e, { vars: (name) => (unit.has(name) ? c(0) : undefined) }));
}

/** Each dim of a map as an expression of the element index `at` (extent-1 dims are 0). */
export type Inverse = (at: readonly Expr[]) => ReadonlyMap<string, Expr>;

interface Term { readonly name: string; readonly coef: number; readonly extent: number }

/** The affine terms of every index component, over the dims that can be nonzero; or why not. */
function termsOf(index: readonly Expr[], dims: readonly Dim[]): { terms: Term[][]; offsets: number[] } | string {
  const extent = new Map(dims.map((d) => [d.name, d.extent]));
  const terms: Term[][] = [];
  const offsets: number[] = [];
  for (const [j, e] of pinUnitDims(index, dims).entries()) {
    const a = affine(e);
    if (!a) return `index ${j} (${printExpr(index[j])}) is not affine`;
    const parts: Term[] = [];
    for (const [name, coef] of Object.entries(a.coef)) {
      if (coef === 0) continue;
      const n = extent.get(name);
      if (n === undefined) return `index ${j} names ${name}, which is not a dim of the map`;
      parts.push({ name, coef, extent: n });
    }
    terms.push(parts.sort((x, y) => Math.abs(x.coef) - Math.abs(y.coef)));
    offsets.push(a.offset);
  }
  return { terms, offsets };
}

/**
 * The inverse of `index` over `dims` when it is injective and affine: every dim of extent > 1
 * appears in exactly one component, and the dims sharing a component have non-overlapping
 * strides (a mixed radix, like `g * M + m`). Otherwise the reason it is not invertible.
 */
export function invertIndex(index: readonly Expr[], dims: readonly Dim[]): Inverse | string {
  const analysed = termsOf(index, dims);
  if (typeof analysed === 'string') return analysed;
  const { terms, offsets } = analysed;
  for (const d of dims) {
    if (d.extent === 1) continue;
    const uses = terms.filter((parts) => parts.some((t) => t.name === d.name)).length;
    if (uses === 0) return `it does not depend on ${d.name}, so ${d.extent} points share each element`;
    if (uses > 1) return `${d.name} appears in ${uses} index components`;
  }
  for (const [j, parts] of terms.entries()) {
    if (parts.length < 2) continue;
    if (parts.some((t) => t.coef < 0)) return `index ${j} mixes dims with negative strides`;
    for (let i = 0; i + 1 < parts.length; i++) {
      if (parts[i + 1].coef < parts[i].coef * parts[i].extent) return `index ${j} mixes ${parts[i].name} and ${parts[i + 1].name} with overlapping strides`;
    }
  }
  return (at) => {
    const point = new Map<string, Expr>(dims.filter((d) => d.extent === 1).map((d) => [d.name, c(0)]));
    terms.forEach((parts, j) => {
      const x = sub(at[j], c(offsets[j]));
      if (parts.length === 1) {
        const { name, coef } = parts[0];
        const signed = coef > 0 ? x : sub(c(offsets[j]), at[j]);
        point.set(name, idiv(signed, c(Math.abs(coef))));
        return;
      }
      parts.forEach((t, i) => {
        const below = i + 1 < parts.length ? mod(x, c(parts[i + 1].coef)) : x;
        point.set(t.name, idiv(below, c(t.coef)));
      });
    });
    return point;
  };
}

/**
 * The dims `index` walks, most significant first (by component, then by stride): two accesses
 * that walk the same dims in the same order visit elements in the same order. Null when the
 * index is not affine.
 */
export function dimOrder(index: readonly Expr[], dims: readonly Dim[]): string[] | null {
  const analysed = termsOf(index, dims);
  if (typeof analysed === 'string') return null;
  return analysed.terms.flatMap((parts) => [...parts].reverse().map((t) => t.name));
}

/**
 * The index into storage of shape `root` of the element at `index` in its row-major view of
 * shape `view` (a Reshape alias). Dims are matched group by group, so that merging dims stays
 * affine (`[b, s, h, d]` of a `[B, S, H*D]` root is `[b, s, h * D + d]`); only splitting a dim
 * needs division. Extent-1 dims are index 0 on both sides.
 */
export function viewIndex(index: readonly Expr[], view: Shape, root: Shape): Expr[] {
  if (view.length === root.length && view.every((n, i) => n === root[i])) return [...index];
  const v = view.map((n, i) => ({ n, e: index[i] })).filter((x) => x.n !== 1);
  const r = root.map((n, j) => ({ n, j })).filter((x) => x.n !== 1);
  const out: Expr[] = root.map(() => c(0));
  let i = 0;
  let j = 0;
  while (i < v.length && j < r.length) {
    // One group: the fewest dims on each side whose extents multiply to the same size.
    const vs = [v[i++]];
    const rs = [r[j++]];
    let vSize = vs[0].n;
    let rSize = rs[0].n;
    while (vSize !== rSize) {
      if (vSize < rSize) { vs.push(v[i++]); vSize *= vs[vs.length - 1].n; } else { rs.push(r[j++]); rSize *= rs[rs.length - 1].n; }
    }
    let stride = vSize;
    let flat: Expr = c(0);
    for (const x of vs) { stride /= x.n; flat = add(flat, mul(x.e, c(stride))); }
    let below = rSize;
    for (const [k, x] of rs.entries()) {
      below /= x.n;
      const q = idiv(flat, c(below));
      out[x.j] = k === 0 ? q : mod(q, c(x.n));
    }
  }
  return out;
}

/** Points of the iteration domain of `dims`. */
export const pointCount = (dims: readonly Dim[]): number => dims.reduce((n, d) => n * d.extent, 1);
