// The serial reduction of one map under register blocking: each invocation computes `size`
// consecutive outputs along one parallel dim, with one accumulator each. Per reduction step, the
// reads whose index does not depend on the blocked dim are loaded once and shared; the others are
// loaded per accumulator with that accumulator's value of the dim. The dim's value is clamped to
// its extent for reading (a tail block computes a duplicate of the last output rather than read
// out of bounds) and each write is guarded, so extents need not divide by the size.

import type { Expr } from '../../ir/expr.js';
import type { MapOp } from '../../ir/program.js';
import { readsDependingOn, type RegisterBlock } from '../schedule.js';
import { emitExpr, type ExprContext, type Typed } from './wgsl-expr.js';

export interface BlockEmitters {
  /** WGSL of the wcr identity. */
  readonly identity: string;
  /** Declarations of the reads `roots` need (those `keep` accepts), in dependency order. */
  readLines(roots: readonly Expr[], c: ExprContext, keep?: (r: number) => boolean): string[];
  /** The store of `value` to the write memlet, its index evaluated in `c`. */
  store(value: Typed, c: ExprContext): string;
  /** An expression context with `acc` and iteration variables renamed. */
  ctx(acc?: Typed, renamed?: ReadonlyMap<string, string>): ExprContext;
  /** `acc = wcr(acc, body);` in `c` (whose acc is the accumulator). */
  step(c: ExprContext): string;
}

/** Body lines after the parallel dims are delinearized (v<blocked> holds the block's index). */
export function registerBlocked(m: MapOp, block: RegisterBlock, blocked: number, e: BlockEmitters): string[] {
  const { size } = block;
  const extent = m.dims[blocked].extent;
  const tail = extent % size !== 0;
  const dependent = readsDependingOn(m, block.dim);
  const lanes = Array.from({ length: size }, (_, j) => j);
  const accOf = (j: number): Typed => ({ code: `acc${j}`, t: 'f' });
  const ctxOf = (j: number, acc?: Typed): ExprContext => e.ctx(acc, new Map([[block.dim, `v${blocked}_${j}`]]));
  const lines: string[] = [`let v${blocked}_base = v${blocked} * ${size};`];
  for (const j of lanes) {
    const value = j === 0 ? `v${blocked}_base` : `v${blocked}_base + ${j}`;
    lines.push(`let v${blocked}_${j} = ${tail && j > 0 ? `min(${value}, ${extent - 1})` : value};`);
  }
  lines.push(...lanes.map((j) => `var acc${j}: f32 = ${e.identity};`));
  const stepLines = [
    // Shared reads are emitted in a context without the blocked dim: they never name it.
    ...e.readLines([m.body], e.ctx(), (r) => !dependent.has(r)),
    ...lanes.flatMap((j) => {
      const c = ctxOf(j, accOf(j));
      const own = e.readLines([m.body], c, (r) => dependent.has(r));
      return own.length ? ['{', ...own.map(indent), indent(e.step(c)), '}'] : [e.step(c)];
    }),
  ];
  const reduce = m.dims.map((d, i) => ({ d, i })).filter(({ d }) => d.reduce);
  const open = reduce.length ? reduce.map(({ d, i }) => `for (var v${i}: i32 = 0; v${i} < ${d.extent}; v${i} = v${i} + 1) {`) : ['{'];
  lines.push(...open, ...stepLines.map(indent), ...open.map(() => '}'));
  for (const j of lanes) {
    const c = ctxOf(j, accOf(j));
    const tailLines = [...e.readLines(m.epilogue ? [m.epilogue] : [], c), e.store(m.epilogue ? emitExpr(m.epilogue, c) : accOf(j), c)];
    const guarded = tail && j > 0;
    lines.push(guarded ? `if (v${blocked}_base + ${j} < ${extent}) {` : '{', ...tailLines.map(indent), '}');
  }
  return lines;
}

const indent = (l: string): string => `  ${l}`;

