// The serial reduction of one map: each invocation loops over the reduce dims in registers.
//
// Register blocking: the invocation computes a tile of outputs, `size` consecutive ones along each
// blocked parallel dim, one accumulator per output ("lane"). A blocked dim's value is clamped to its
// extent for reading (a tail tile computes duplicates of the last output rather than read out of
// bounds) and each write is guarded, so extents need not divide by the sizes.
// Unrolling: the loop over an unrolled dim steps by its factor and the innermost body repeats once
// per copy (unroll-and-jam when the loop encloses others); a straight-line remainder with constant
// values of the dim follows where the extent does not divide.
// Lanes and copies both give a dim several values at once: a read is loaded once per combination of
// the values of those dims it depends on and shared by the lanes and copies that agree on them
// (a read that depends on none is loaded once per step). A vec4 access (codegen/vec4.ts) loads four
// consecutive values along its dim at once, and the lanes or copies take its components.

import type { Expr } from '../../ir/expr.js';
import { readOrder, type MapOp } from '../../ir/program.js';
import { readsDependingOn, type RegisterBlock, type Vec4Access } from '../schedule.js';
import type { Params } from './uniform-params.js';
import { VEC } from './vec4.js';
import { emitExpr, type ExprContext, type Typed } from './wgsl-expr.js';

export interface SerialEmitters {
  /** WGSL of the wcr identity. */
  readonly identity: string;
  /** `let <c.read(r).code> = …;`: read `r` loaded one element at a time, its index evaluated in `c`. */
  readLine(r: number, c: ExprContext): string;
  /** The vec4 load of read `r`'s four elements from its index in `c`. */
  vecLoad(r: number, c: ExprContext): string;
  /** The store of `value` to the write memlet, its index evaluated in `c`. */
  store(value: Typed, c: ExprContext): string;
  /** The vec4 store of four values from the write index in `c`. */
  vecStore(values: readonly Typed[], c: ExprContext): string;
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

/** The loop over one reduce dim; `factor` 1 when not unrolled. */
export interface ReduceLoop {
  readonly dim: string;
  readonly index: number;
  readonly extent: number;
  readonly factor: number;
}

export interface SerialShape {
  readonly blocks: readonly BlockedDim[];
  /** Outermost first. */
  readonly loops: readonly ReduceLoop[];
  readonly vec4: readonly Vec4Access[];
}

/** The values an unrolled dim takes in one region of the loop nest: the main loop or the remainder. */
interface Copies {
  readonly count: number;
  code(o: number): string;
  /** Whether vec4 loads along the dim apply (the main loop, whose starts are multiples of 4). */
  readonly vec: boolean;
}
type Region = ReadonlyMap<string, Copies>;
/** The offset of one lane or copy along each blocked dim and each unrolled dim of the region. */
type Point = ReadonlyMap<string, number>;

const COMPONENT = 'xyzw';
const indent = (l: string): string => `  ${l}`;

/** Body lines after the parallel dims are delinearized (v<i> holds the tile's index along blocked dim i). */
export function serialReduction(m: MapOp, shape: SerialShape, P: Params, e: SerialEmitters): string[] {
  const { blocks, loops } = shape;
  const spread = [...blocks.map((b) => b.dim), ...loops.filter((l) => l.factor > 1).map((l) => l.dim)];
  const dependent = new Map(spread.map((d) => [d, readsDependingOn(m, d)]));
  const vecRead = new Map(shape.vec4.filter((a) => a.access !== 'write').map((a) => [a.access as number, a.dim]));
  const vecWrite = shape.vec4.find((a) => a.access === 'write')?.dim;
  const vecDims = new Set(shape.vec4.map((a) => a.dim));
  const tag = (dim: string): string => dim.replace(/\W/g, '');
  const tail = (b: BlockedDim): boolean => P.uniform || b.extent % b.size !== 0;
  // The first lane of vec4 group g along a blocked dim; in a tail tile, the last whole group.
  const groupVar = (b: BlockedDim, g: number): string => (tail(b) && g > 0 ? `v${b.index}_g${g}` : `v${b.index}_${g * VEC}`);

  /** Read `r` at point `p`: its vec4 group along a dim, when it is loaded as one. */
  const vecGroup = (r: number, p: Point, region: Region): { dim: string; o: number } | undefined => {
    const dim = vecRead.get(r);
    if (dim === undefined || !p.has(dim) || !(region.get(dim)?.vec ?? true)) return undefined;
    return { dim, o: p.get(dim)! };
  };
  const readName = (p: Point, region: Region) => (r: number): string => {
    const group = vecGroup(r, p, region);
    const suffix = spread.filter((d) => p.has(d) && dependent.get(d)!.has(r))
      .map((d) => (d === group?.dim ? `_${tag(d)}v${Math.floor(group.o / VEC)}` : `_${tag(d)}${p.get(d)}`)).join('');
    return `r${r}${suffix}${group ? `.${COMPONENT[group.o % VEC]}` : ''}`;
  };
  /** The context at `p`; with `groupOf`, that blocked dim spelled as its vec4 group's first lane. */
  const ctxAt = (p: Point, region: Region, acc?: Typed, groupOf?: string): ExprContext => {
    const renamed = new Map<string, string>();
    for (const b of blocks) {
      const o = p.get(b.dim)!;
      renamed.set(b.dim, b.dim === groupOf ? groupVar(b, o / VEC) : `v${b.index}_${o}`);
    }
    for (const [dim, copies] of region) renamed.set(dim, copies.code(p.get(dim)!));
    return e.ctx(acc, renamed, readName(p, region));
  };
  /** Declarations of the reads `roots` need at `p` that `declared` does not hold yet. */
  const declareReads = (roots: readonly Expr[], p: Point, region: Region, declared: Set<string>): string[] => {
    const name = readName(p, region);
    const lines: string[] = [];
    for (const r of readOrder(m, roots)) {
      const group = vecGroup(r, p, region);
      const decl = name(r).split('.')[0];
      if (declared.has(decl)) continue;
      declared.add(decl);
      if (!group) {
        lines.push(e.readLine(r, ctxAt(p, region)));
      } else {
        const first = new Map(p).set(group.dim, group.o - (group.o % VEC));
        lines.push(`let ${decl} = ${e.vecLoad(r, ctxAt(first, region, undefined, group.dim))};`);
      }
    }
    return lines;
  };

  // Every lane: one offset per blocked dim, the last dim fastest.
  let lanes: Point[] = [new Map()];
  for (const b of blocks) lanes = lanes.flatMap((l) => Array.from({ length: b.size }, (_, j) => new Map(l).set(b.dim, j)));
  const accOf = (l: Point): Typed => ({ code: `acc${blocks.map((b) => l.get(b.dim)).join('_')}`, t: 'f' });

  const lines: string[] = [];
  for (const b of blocks) {
    lines.push(`let v${b.index}_base = v${b.index} * ${b.size};`);
    for (let j = 0; j < b.size; j++) {
      const value = j === 0 ? `v${b.index}_base` : `v${b.index}_base + ${j}`;
      lines.push(`let v${b.index}_${j} = ${tail(b) && j > 0 ? `min(${value}, ${P.int(b.extent - 1)})` : value};`);
    }
    if (!vecDims.has(b.dim) || !tail(b)) continue;
    for (let g = 1; g < b.size / VEC; g++) lines.push(`let ${groupVar(b, g)} = min(v${b.index}_base + ${g * VEC}, ${P.int(b.extent - VEC)});`);
  }
  lines.push(...lanes.map((l) => `var ${accOf(l).code}: f32 = ${e.identity};`));

  const innermost = (region: Region): string[] => {
    let points: Point[] = [new Map()];
    for (const [dim, copies] of region) points = points.flatMap((p) => Array.from({ length: copies.count }, (_, j) => new Map(p).set(dim, j)));
    const declared = new Set<string>();
    return points.flatMap((copy) => lanes.flatMap((l) => {
      const p = new Map([...l, ...copy]);
      return [...declareReads([m.body], p, region, declared), e.step(ctxAt(p, region, accOf(l)))];
    }));
  };
  const nest = (level: number, region: Region): string[] => {
    if (level === loops.length) return innermost(region);
    const { dim, index, extent, factor } = loops[level];
    const v = `v${index}`;
    const loop = (start: string, end: number, by: number, inner: string[]): string[] =>
      [`for (var ${v}: i32 = ${start}; ${v} < ${P.int(end)}; ${v} = ${v} + ${by}) {`, ...inner.map(indent), '}'];
    if (factor === 1) return loop('0', extent, 1, nest(level + 1, region));
    const main = extent - (extent % factor);
    const lines: string[] = [];
    const at = (copies: Copies): Region => new Map(region).set(dim, copies);
    if (main > 0 || P.uniform) lines.push(...loop('0', main, factor, nest(level + 1, at({ count: factor, code: (o) => (o ? `(${v} + ${o})` : v), vec: true }))));
    // The remainder: straight-line copies, or under uniform parameters (whose count varies) a loop.
    if (P.uniform) lines.push(...loop(P.int(main), extent, 1, nest(level + 1, at({ count: 1, code: () => v, vec: false }))));
    else if (main < extent) lines.push('{', ...nest(level + 1, at({ count: extent - main, code: (o) => `${main + o}`, vec: false })).map(indent), '}');
    return lines;
  };
  // A one-point reduction (no reduce dims) still gets a block, so its reads stay scoped.
  lines.push(...(loops.length ? nest(0, new Map()) : ['{', ...nest(0, new Map()).map(indent), '}']));

  // The epilogue and store of every lane; with a vec4 write, of four lanes along its dim at once.
  const roots = m.epilogue ? [m.epilogue] : [];
  const value = (l: Point): Typed => (m.epilogue ? emitExpr(m.epilogue, ctxAt(l, new Map(), accOf(l))) : accOf(l));
  const guarded = (l: Point, body: string[]): string[] => {
    const guards = blocks.filter((b) => tail(b) && l.get(b.dim)! > 0).map((b) => `v${b.index}_base + ${l.get(b.dim)} < ${P.int(b.extent)}`);
    return [guards.length ? `if (${guards.join(' && ')}) {` : '{', ...body.map(indent), '}'];
  };
  for (const l of lanes) {
    if (vecWrite === undefined) {
      lines.push(...guarded(l, [...declareReads(roots, l, new Map(), new Set()), e.store(value(l), ctxAt(l, new Map(), accOf(l)))]));
    } else if (l.get(vecWrite)! % VEC === 0) {
      const group = Array.from({ length: VEC }, (_, j) => new Map(l).set(vecWrite, l.get(vecWrite)! + j));
      const declared = new Set<string>();
      const reads = group.flatMap((g) => declareReads(roots, g, new Map(), declared));
      lines.push(...guarded(l, [...reads, e.vecStore(group.map(value), ctxAt(l, new Map(), undefined, vecWrite))]));
    }
  }
  return lines;
}
