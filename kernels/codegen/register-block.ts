// The serial reduction of one map under register blocking: each invocation computes a tile of
// outputs, `size` consecutive ones along each blocked parallel dim, with one accumulator per output
// ("lane"). Per reduction step every read is loaded once per combination of the blocked dims its
// index depends on, and shared by the lanes that agree on those dims: a read that depends on no
// blocked dim is loaded once for the whole tile. A blocked dim's value is clamped to its extent for
// reading (a tail tile computes duplicates of the last output rather than read out of bounds) and
// each write is guarded, so extents need not divide by the sizes.

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
  /** An expression context with `acc`, iteration variables and reads renamed. */
  ctx(acc?: Typed, renamed?: ReadonlyMap<string, string>, readName?: (r: number) => string): ExprContext;
  /** `acc = wcr(acc, body);` in `c` (whose acc is the accumulator). */
  step(c: ExprContext): string;
}

/** A blocked dim: its position among the map's dims, extent and block size. */
export interface BlockedDim extends RegisterBlock {
  readonly index: number;
  readonly extent: number;
}

/** Body lines after the parallel dims are delinearized (v<i> holds the tile's index along blocked dim i). */
export function registerBlocked(m: MapOp, blocks: readonly BlockedDim[], e: BlockEmitters): string[] {
  const dependent = blocks.map((b) => readsDependingOn(m, b.dim));
  // Every lane: one offset per blocked dim, the last dim fastest.
  let lanes: number[][] = [[]];
  for (const b of blocks) lanes = lanes.flatMap((l) => Array.from({ length: b.size }, (_, j) => [...l, j]));
  const laneName = (l: readonly number[]): string => l.join('_');
  const accOf = (l: readonly number[]): Typed => ({ code: `acc${laneName(l)}`, t: 'f' });
  // A read's name in a lane carries the offsets of the blocked dims it depends on only, so lanes
  // that agree on those share it.
  const readName = (l: readonly number[]) => (r: number): string =>
    `r${r}${blocks.map((b, k) => (dependent[k].has(r) ? `_${b.dim.replace(/\W/g, '')}${l[k]}` : '')).join('')}`;
  const ctxOf = (l: readonly number[], acc?: Typed): ExprContext =>
    e.ctx(acc, new Map(blocks.map((b, k) => [b.dim, `v${b.index}_${l[k]}`])), readName(l));

  const lines: string[] = [];
  for (const b of blocks) {
    lines.push(`let v${b.index}_base = v${b.index} * ${b.size};`);
    const tail = b.extent % b.size !== 0;
    for (let j = 0; j < b.size; j++) {
      const value = j === 0 ? `v${b.index}_base` : `v${b.index}_base + ${j}`;
      lines.push(`let v${b.index}_${j} = ${tail && j > 0 ? `min(${value}, ${b.extent - 1})` : value};`);
    }
  }
  lines.push(...lanes.map((l) => `var ${accOf(l).code}: f32 = ${e.identity};`));

  const declared = new Set<string>();
  const stepLines: string[] = [];
  for (const l of lanes) {
    const c = ctxOf(l, accOf(l));
    const name = readName(l);
    stepLines.push(...e.readLines([m.body], c, (r) => !declared.has(name(r)) && (declared.add(name(r)), true)));
    stepLines.push(e.step(c));
  }
  const reduce = m.dims.map((d, i) => ({ d, i })).filter(({ d }) => d.reduce);
  const open = reduce.length ? reduce.map(({ d, i }) => `for (var v${i}: i32 = 0; v${i} < ${d.extent}; v${i} = v${i} + 1) {`) : ['{'];
  lines.push(...open, ...stepLines.map(indent), ...open.map(() => '}'));

  for (const l of lanes) {
    const c = ctxOf(l, accOf(l));
    const tailLines = [...e.readLines(m.epilogue ? [m.epilogue] : [], c), e.store(m.epilogue ? emitExpr(m.epilogue, c) : accOf(l), c)];
    const guards = blocks.filter((b, k) => b.extent % b.size !== 0 && l[k] > 0).map((b) => `v${b.index}_base + ${l[blocks.indexOf(b)]} < ${b.extent}`);
    lines.push(guards.length ? `if (${guards.join(' && ')}) {` : '{', ...tailLines.map(indent), '}');
  }
  return lines;
}

const indent = (l: string): string => `  ${l}`;
