// Expression surgery for fusion: substituting iteration variables and reads in a scalar
// expression, comparing expressions and memlets structurally, counting arithmetic, and
// appending memlets to a map's read list without duplicates.

import { add, cast, mul, readsOf, sub, type Expr } from '../expr.js';
import type { MapOp, Memlet } from '../program.js';
import type { DType } from '../tensor.js';

export interface Substitution {
  /** The replacement of iteration variable `name`; undefined keeps it. */
  readonly vars?: (name: string) => Expr | undefined;
  /** The replacement of read `m`; undefined keeps it. */
  readonly reads?: (m: number) => Expr | undefined;
}

/**
 * `e` with variables and reads replaced simultaneously (a replacement is not rewritten again).
 * Sums and products are rebuilt with constant folding, so substituted indices stay readable.
 */
export function substitute(e: Expr, s: Substitution): Expr {
  const go = (x: Expr): Expr => substitute(x, s);
  switch (e.k) {
    case 'var': return s.vars?.(e.name) ?? e;
    case 'read': return s.reads?.(e.m) ?? e;
    case 'const': case 'acc': return e;
    case 'un': return { ...e, a: go(e.a) };
    case 'cast': return { ...e, a: go(e.a) };
    case 'sel': return { ...e, c: go(e.c), a: go(e.a), b: go(e.b) };
    case 'bin': {
      const a = go(e.a);
      const b = go(e.b);
      if (e.op === 'add') return add(a, b);
      if (e.op === 'sub') return sub(a, b);
      if (e.op === 'mul') return mul(a, b);
      return { ...e, a, b };
    }
  }
}

export function sameExpr(a: Expr, b: Expr): boolean {
  switch (a.k) {
    case 'const': return b.k === 'const' && Object.is(a.v, b.v);
    case 'var': return b.k === 'var' && a.name === b.name;
    case 'read': return b.k === 'read' && a.m === b.m;
    case 'acc': return b.k === 'acc';
    case 'un': return b.k === 'un' && a.op === b.op && sameExpr(a.a, b.a);
    case 'cast': return b.k === 'cast' && a.to === b.to && sameExpr(a.a, b.a);
    case 'bin': return b.k === 'bin' && a.op === b.op && sameExpr(a.a, b.a) && sameExpr(a.b, b.b);
    case 'sel': return b.k === 'sel' && sameExpr(a.c, b.c) && sameExpr(a.a, b.a) && sameExpr(a.b, b.b);
  }
}

export function sameIndex(a: readonly Expr[], b: readonly Expr[]): boolean {
  return a.length === b.length && a.every((e, i) => sameExpr(e, b[i]));
}

export function sameMemlet(a: Memlet, b: Memlet): boolean {
  return a.buffer === b.buffer && Object.is(a.pad, b.pad) && sameIndex(a.index, b.index);
}

/** Nodes of the expression tree: what generated code spells out (a shared subtree twice). */
export function exprSize(e: Expr): number {
  switch (e.k) {
    case 'un': case 'cast': return 1 + exprSize(e.a);
    case 'bin': return 1 + exprSize(e.a) + exprSize(e.b);
    case 'sel': return 1 + exprSize(e.c) + exprSize(e.a) + exprSize(e.b);
    default: return 1;
  }
}

/**
 * Appends `extra` (memlets numbered among themselves: an indirect index reads `extra[m]`) to
 * `reads`, reusing an identical memlet already there; returns where each extra memlet landed.
 */
export function appendReads(reads: Memlet[], extra: readonly Memlet[]): number[] {
  const landed: number[] = [];
  const place = (i: number): number => {
    if (landed[i] !== undefined) return landed[i];
    const m = extra[i];
    // An indirect index names other extra memlets: place those first, then renumber it.
    const index = m.index.map((e) => substitute(e, { reads: (r) => ({ k: 'read', m: place(r) }) }));
    const memlet: Memlet = { ...m, index };
    const found = reads.findIndex((r) => sameMemlet(r, memlet));
    landed[i] = found >= 0 ? found : reads.push(memlet) - 1;
    return landed[i];
  };
  extra.forEach((_, i) => place(i));
  return landed;
}

/**
 * `e` as a buffer of `dtype` would hold it once stored and read back: the conversion the store
 * did (float32 rounding, integer truncation, bool), so that fused and unfused programs compute
 * the same values. Left out where `e` already has that type.
 */
export function stored(e: Expr, dtype: DType, dtypeOfRead: (m: number) => DType): Expr {
  if (e.k === 'cast' && e.to === dtype) return e;
  if (e.k === 'read' && dtypeOfRead(e.m) === dtype) return e;
  return cast(dtype, e);
}

/** `m` without the memlets nothing uses any more, the rest renumbered in their order. */
export function compactReads(m: MapOp): MapOp {
  const used = new Set<number>();
  const use = (e: Expr): void => {
    for (const r of readsOf(e)) {
      if (used.has(r)) continue;
      used.add(r);
      m.reads[r].index.forEach(use);
    }
  };
  use(m.body);
  if (m.epilogue) use(m.epilogue);
  const kept = m.reads.flatMap((_, i) => (used.has(i) ? [i] : []));
  const renumber: Substitution = { reads: (r) => ({ k: 'read', m: kept.indexOf(r) }) };
  return {
    ...m,
    reads: kept.map((i) => ({ ...m.reads[i], index: m.reads[i].index.map((e) => substitute(e, renumber)) })),
    body: substitute(m.body, renumber),
    ...(m.epilogue ? { epilogue: substitute(m.epilogue, renumber) } : {}),
  };
}
