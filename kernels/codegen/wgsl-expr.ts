// Expr → WGSL with types. The loop interpreter computes in float64 numbers; WGSL needs a type per
// expression, so each one is typed bottom-up: 'i' (i32: iteration variables, integer constants,
// reads of integer and bool buffers, integer arithmetic), 'f' (f32: float reads, math functions,
// true division) or 'b' (bool: comparisons and logic, 0/1 as numbers). Mixed operands promote to
// f32, as float64 arithmetic on integer values would give the same value.

import type { BinaryOp, Expr, UnaryOp } from '../../ir/expr.js';
import type { DType } from '../../ir/tensor.js';
import type { HelperName } from './wgsl-helpers.js';

export type WType = 'i' | 'f' | 'b';

export interface Typed {
  readonly code: string;
  readonly t: WType;
}

export interface ExprContext {
  /** The WGSL name and type of iteration variable `name`. */
  variable(name: string): Typed;
  /** The WGSL name and type of the value read through memlet `m`. */
  read(m: number): Typed;
  /** How an integer constant is spelled where it is a run-time parameter (index arithmetic); absent: a literal. */
  int?(x: number): string;
  /** The accumulator, in epilogues. */
  readonly acc?: Typed;
  /** Records a helper function the code calls. */
  use(h: HelperName): void;
}

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

/** A float constant as WGSL: the f32 it rounds to, ±inf and NaN through helpers. */
export function floatLiteral(x: number, use: (h: HelperName) => void): string {
  const f = Math.fround(x);
  if (Number.isNaN(f)) { use('f_nan'); return 'f_nan()'; }
  if (f === Infinity) { use('f_inf'); return 'f_inf()'; }
  if (f === -Infinity) { use('f_inf'); return '(-f_inf())'; }
  if (Object.is(f, -0)) return '(-0.0f)';
  // Shortest round-trip text of the float64 value of the f32; WGSL rounds it back to the same f32.
  const s = String(f);
  const text = /[.e]/.test(s) ? s : `${s}.0`;
  return f < 0 ? `(${text}f)` : `${text}f`;
}

export function intLiteral(x: number): string {
  if (x === I32_MIN) return '(-2147483647 - 1)';
  return x < 0 ? `(${x})` : `${x}`;
}

const isI32 = (x: number): boolean => Number.isInteger(x) && x >= I32_MIN && x <= I32_MAX && !Object.is(x, -0);

export function toF(x: Typed): string {
  return x.t === 'f' ? x.code : x.t === 'i' ? `f32(${x.code})` : `select(0.0f, 1.0f, ${x.code})`;
}

export function toI(x: Typed, ctx: ExprContext): string {
  if (x.t === 'i') return x.code;
  if (x.t === 'b') return `select(0, 1, ${x.code})`;
  ctx.use('to_i');
  return `to_i(${x.code})`;
}

/** Truthiness as the interpreter tests it (x !== 0; NaN is true). */
export function toB(x: Typed): string {
  return x.t === 'b' ? x.code : x.t === 'i' ? `(${x.code} != 0)` : `(${x.code} != 0.0f)`;
}

/** The value converted for storing into a buffer of `dtype` (as its WGSL element type). */
export function storeValue(x: Typed, dtype: DType, ctx: ExprContext): string {
  switch (dtype) {
    case 'float32': return toF(x);
    case 'int32': case 'int64': return toI(x, ctx);
    case 'bool': return `select(0u, 1u, ${toB(x)})`;
  }
}

export function emitExpr(e: Expr, ctx: ExprContext): Typed {
  switch (e.k) {
    case 'const': return isI32(e.v) ? { code: ctx.int?.(e.v) ?? intLiteral(e.v), t: 'i' } : { code: floatLiteral(e.v, (h) => ctx.use(h)), t: 'f' };
    case 'var': return ctx.variable(e.name);
    case 'read': return ctx.read(e.m);
    case 'acc':
      if (!ctx.acc) throw new Error('codegen: acc outside an epilogue');
      return ctx.acc;
    case 'un': return unary(e.op, emitExpr(e.a, ctx), ctx);
    case 'bin': return binary(e.op, emitExpr(e.a, ctx), emitExpr(e.b, ctx), ctx);
    case 'sel': {
      const cond = toB(emitExpr(e.c, ctx));
      const a = emitExpr(e.a, ctx);
      const b = emitExpr(e.b, ctx);
      if (a.t === b.t) return { code: `select(${b.code}, ${a.code}, ${cond})`, t: a.t };
      if (a.t !== 'f' && b.t !== 'f') return { code: `select(${toI(b, ctx)}, ${toI(a, ctx)}, ${cond})`, t: 'i' };
      return { code: `select(${toF(b)}, ${toF(a)}, ${cond})`, t: 'f' };
    }
    case 'cast': {
      const a = emitExpr(e.a, ctx);
      switch (e.to) {
        case 'float32': return { code: toF(a), t: 'f' };
        case 'int32': case 'int64': return { code: toI(a, ctx), t: 'i' };
        case 'bool': return { code: toB(a), t: 'b' };
      }
    }
  }
}

const F = (code: string): Typed => ({ code, t: 'f' });

function unary(op: UnaryOp, a: Typed, ctx: ExprContext): Typed {
  const numeric: Typed = a.t === 'b' ? { code: toI(a, ctx), t: 'i' } : a;
  const fa = toF(a);
  switch (op) {
    case 'neg': return { code: `(-${numeric.code})`, t: numeric.t };
    case 'abs': return { code: `abs(${numeric.code})`, t: numeric.t };
    case 'sign': return { code: `sign(${numeric.code})`, t: numeric.t };
    case 'floor': case 'ceil': case 'round': case 'trunc':
      return numeric.t === 'i' ? numeric : F(`${op}(${fa})`);
    case 'sqrt': case 'exp': case 'log': return F(`${op}(${fa})`);
    case 'sin': case 'cos': ctx.use(`${op}_f`); return F(`${op}_f(${fa})`);
    case 'recip': return F(`(1.0f / ${fa})`);
    case 'erf': ctx.use('erf_f'); return F(`erf_f(${fa})`);
    case 'tanh': ctx.use('tanh_f'); return F(`tanh_f(${fa})`);
    case 'sigmoid': ctx.use('sigmoid_f'); return F(`sigmoid_f(${fa})`);
    case 'not': return { code: `(!${toB(a)})`, t: 'b' };
    case 'isnan':
      if (a.t !== 'f') return { code: 'false', t: 'b' };
      ctx.use('is_nan');
      return { code: `is_nan(${a.code})`, t: 'b' };
  }
}

const CMP: Partial<Record<BinaryOp, string>> = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=' };
const ARITH: Partial<Record<BinaryOp, string>> = { add: '+', sub: '-', mul: '*' };

function binary(op: BinaryOp, a: Typed, b: Typed, ctx: ExprContext): Typed {
  const ints = a.t !== 'f' && b.t !== 'f';
  const ia = (): string => toI(a, ctx);
  const ib = (): string => toI(b, ctx);
  if (op === 'and' || op === 'or') return { code: `(${toB(a)} ${op === 'and' ? '&&' : '||'} ${toB(b)})`, t: 'b' };
  const cmp = CMP[op];
  if (cmp) return { code: ints ? `(${ia()} ${cmp} ${ib()})` : `(${toF(a)} ${cmp} ${toF(b)})`, t: 'b' };
  const arith = ARITH[op];
  if (arith) return ints ? { code: `(${ia()} ${arith} ${ib()})`, t: 'i' } : F(`(${toF(a)} ${arith} ${toF(b)})`);
  switch (op) {
    case 'div': return F(`(${toF(a)} / ${toF(b)})`);
    case 'pow': ctx.use('pow_f'); return F(`pow_f(${toF(a)}, ${toF(b)})`);
    case 'min': case 'max': return ints ? { code: `${op}(${ia()}, ${ib()})`, t: 'i' } : F(`${op}(${toF(a)}, ${toF(b)})`);
    case 'idiv': case 'mod': {
      const h: HelperName = `${op}_${ints ? 'i' : 'f'}`;
      ctx.use(h);
      return ints ? { code: `${h}(${ia()}, ${ib()})`, t: 'i' } : F(`${h}(${toF(a)}, ${toF(b)})`);
    }
    default: throw new Error(`codegen: unknown binary op ${op}`);
  }
}
