// Scalar expressions of the loop level: the body of a map, and the index of every memlet.
// One small tree language serves both, so an index can be affine in the iteration variables
// (the common case, which `affine` recognizes), computed (Resize's floor(x * scale)), or
// indirect (Gather's index is a value read through another memlet).

import type { DType } from './tensor.js';

export type UnaryOp =
  | 'neg' | 'abs' | 'sqrt' | 'exp' | 'log' | 'erf' | 'tanh' | 'sigmoid' | 'recip'
  | 'floor' | 'ceil' | 'round' | 'trunc' | 'not' | 'sin' | 'cos' | 'sign' | 'isnan';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'min' | 'max'
  /** floor division and its modulo, on integers (index arithmetic). */
  | 'idiv' | 'mod'
  | 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne' | 'and' | 'or';

export type Expr =
  | { readonly k: 'const'; readonly v: number }
  /** An iteration variable of the enclosing map. */
  | { readonly k: 'var'; readonly name: string }
  /** The value read through the map's memlet number `m`. */
  | { readonly k: 'read'; readonly m: number }
  /** In an epilogue: the combined value of the map's reduction. */
  | { readonly k: 'acc' }
  | { readonly k: 'un'; readonly op: UnaryOp; readonly a: Expr }
  | { readonly k: 'bin'; readonly op: BinaryOp; readonly a: Expr; readonly b: Expr }
  /** c ? a : b */
  | { readonly k: 'sel'; readonly c: Expr; readonly a: Expr; readonly b: Expr }
  /** Conversion with ONNX Cast semantics (float → int truncates). */
  | { readonly k: 'cast'; readonly to: DType; readonly a: Expr };

export const c = (v: number): Expr => ({ k: 'const', v });
export const v = (name: string): Expr => ({ k: 'var', name });
export const read = (m: number): Expr => ({ k: 'read', m });
export const acc: Expr = { k: 'acc' };
export const un = (op: UnaryOp, a: Expr): Expr => ({ k: 'un', op, a });
export const bin = (op: BinaryOp, a: Expr, b: Expr): Expr => ({ k: 'bin', op, a, b });
export const sel = (cond: Expr, a: Expr, b: Expr): Expr => ({ k: 'sel', c: cond, a, b });
export const cast = (to: DType, a: Expr): Expr => ({ k: 'cast', to, a });

/** a + b, folding constants and zeros so that printed indices stay readable. */
export function add(a: Expr, b: Expr): Expr {
  if (a.k === 'const' && b.k === 'const') return c(a.v + b.v);
  if (a.k === 'const' && a.v === 0) return b;
  if (b.k === 'const' && b.v === 0) return a;
  if (b.k === 'const' && b.v < 0) return bin('sub', a, c(-b.v));
  return bin('add', a, b);
}

export function sub(a: Expr, b: Expr): Expr {
  if (b.k === 'const') return add(a, c(-b.v));
  return bin('sub', a, b);
}

/** a * b, folding constants, ones and zeros. */
export function mul(a: Expr, b: Expr): Expr {
  if (a.k === 'const' && b.k === 'const') return c(a.v * b.v);
  if (a.k === 'const') return mul(b, a);
  if (b.k === 'const' && b.v === 1) return a;
  if (b.k === 'const' && b.v === 0) return c(0);
  return bin('mul', a, b);
}

export const div = (a: Expr, b: Expr): Expr => bin('div', a, b);
export const idiv = (a: Expr, b: Expr): Expr => (b.k === 'const' && b.v === 1 ? a : bin('idiv', a, b));
export const mod = (a: Expr, b: Expr): Expr => bin('mod', a, b);
export const min = (a: Expr, b: Expr): Expr => bin('min', a, b);
export const max = (a: Expr, b: Expr): Expr => bin('max', a, b);

/** Sum of terms; an empty sum is 0. */
export function sum(terms: readonly Expr[]): Expr {
  return terms.reduce((s, t) => add(s, t), c(0));
}

/** An affine form: Σ coef[var]·var + offset. */
export interface Affine {
  readonly coef: Readonly<Record<string, number>>;
  readonly offset: number;
}

/** The affine form of `e` in the iteration variables, or null when it is not affine. */
export function affine(e: Expr): Affine | null {
  switch (e.k) {
    case 'const': return { coef: {}, offset: e.v };
    case 'var': return { coef: { [e.name]: 1 }, offset: 0 };
    case 'bin': {
      if (e.op !== 'add' && e.op !== 'sub' && e.op !== 'mul') return null;
      const a = affine(e.a);
      const b = affine(e.b);
      if (!a || !b) return null;
      if (e.op === 'mul') {
        if (Object.keys(a.coef).length === 0) return scaleAffine(b, a.offset);
        if (Object.keys(b.coef).length === 0) return scaleAffine(a, b.offset);
        return null;
      }
      const sign = e.op === 'add' ? 1 : -1;
      const coef: Record<string, number> = { ...a.coef };
      for (const [name, k] of Object.entries(b.coef)) coef[name] = (coef[name] ?? 0) + sign * k;
      return { coef, offset: a.offset + sign * b.offset };
    }
    default: return null;
  }
}

/** The least and greatest value of `a` with each variable ranging over [0, extent(name) - 1]. */
export function affineRange(a: Affine, extent: (name: string) => number): { lo: number; hi: number } {
  let lo = a.offset;
  let hi = a.offset;
  for (const [name, k] of Object.entries(a.coef)) {
    const top = k * (extent(name) - 1);
    lo += Math.min(0, top);
    hi += Math.max(0, top);
  }
  return { lo, hi };
}

function scaleAffine(a: Affine, k: number): Affine {
  const coef: Record<string, number> = {};
  for (const [name, x] of Object.entries(a.coef)) coef[name] = x * k;
  return { coef, offset: a.offset * k };
}

/** The iteration variables `e` mentions. */
export function varsOf(e: Expr, into = new Set<string>()): Set<string> {
  switch (e.k) {
    case 'var': into.add(e.name); break;
    case 'un': case 'cast': varsOf(e.a, into); break;
    case 'bin': varsOf(e.a, into); varsOf(e.b, into); break;
    case 'sel': varsOf(e.c, into); varsOf(e.a, into); varsOf(e.b, into); break;
    default: break;
  }
  return into;
}

/** The memlets `e` reads. */
export function readsOf(e: Expr, into = new Set<number>()): Set<number> {
  switch (e.k) {
    case 'read': into.add(e.m); break;
    case 'un': case 'cast': readsOf(e.a, into); break;
    case 'bin': readsOf(e.a, into); readsOf(e.b, into); break;
    case 'sel': readsOf(e.c, into); readsOf(e.a, into); readsOf(e.b, into); break;
    default: break;
  }
  return into;
}

const INFIX: Partial<Record<BinaryOp, string>> = {
  add: '+', sub: '-', mul: '*', div: '/', idiv: '//', mod: '%',
  lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=', and: '&&', or: '||',
};

/** Readable text; `readName(m)` names memlet m (e.g. `X[n, c, h*2+kh-1, w*2+kw-1]`). */
export function printExpr(e: Expr, readName: (m: number) => string = (m) => `in${m}`): string {
  const p = (x: Expr): string => printExpr(x, readName);
  const wrap = (x: Expr): string => (x.k === 'bin' && INFIX[x.op] ? `(${p(x)})` : p(x));
  switch (e.k) {
    case 'const': return Number.isFinite(e.v) ? String(e.v) : e.v > 0 ? 'inf' : e.v < 0 ? '-inf' : 'nan';
    case 'var': return e.name;
    case 'read': return readName(e.m);
    case 'acc': return 'acc';
    case 'un': return `${e.op}(${p(e.a)})`;
    case 'cast': return `${e.to}(${p(e.a)})`;
    case 'sel': return `select(${p(e.c)}, ${p(e.a)}, ${p(e.b)})`;
    case 'bin': {
      const op = INFIX[e.op];
      return op ? `${wrap(e.a)} ${op} ${wrap(e.b)}` : `${e.op}(${p(e.a)}, ${p(e.b)})`;
    }
  }
}
