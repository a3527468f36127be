// Workgroup tiles and staging in workgroup memory for GEMM-like maps (a reduction whose reads are
// each independent of some parallel dim), in the manner of the well-known WGSL matmuls.
//
// Tiles: along each parallel dim, `size` consecutive register-block tiles belong to one workgroup
// (untiled dims: one); the workgroup id gives the outer part, the local invocation the inner one.
// Staging: per chunk of KC steps of the linearized reduce domain, every invocation helps load a
// staged read's values for the whole workgroup (the chunk positions × the workgroup's footprint
// along the parallel dims the read depends on) into `var<workgroup>` memory, a barrier, the chunk
// computed from workgroup memory, a barrier, the next chunk. Control flow around the barriers is
// uniform: no invocation returns early; one past the extents computes clamped duplicates (its
// coordinates are clamped for reading, as are the loads' chunk positions past the reduce extent)
// and its stores are guarded.

import { readsOf } from '../../ir/expr.js';
import { readOrder, type MapOp } from '../../ir/program.js';
import { readsDependingOn, type MapSchedule } from '../schedule.js';
import type { BlockedDim, SerialEmitters } from './serial-reduction.js';
import type { Params } from './uniform-params.js';
import { emitExpr, type ExprContext, type Typed } from './wgsl-expr.js';

/** WebGPU's guaranteed maxComputeWorkgroupStorageSize, in bytes. */
export const WORKGROUP_STORAGE_BYTES = 16384;
/** The largest chunk of reduction steps staged at once. */
export const MAX_STAGE_CHUNK = 256;

export type TiledEmitters = Pick<SerialEmitters, 'identity' | 'readLine' | 'store' | 'ctx' | 'step'>;

/** One parallel dim under tiling: its register block, invocations per workgroup and footprint. */
interface TiledDim {
  readonly index: number;
  readonly name: string;
  readonly extent: number;
  readonly block: number;
  readonly tile: number;
  /** Workgroups along the dim. */
  readonly groups: number;
  /** Elements of the dim one workgroup covers. */
  readonly footprint: number;
}

function tiledDims(m: MapOp, s: MapSchedule): TiledDim[] {
  return m.dims.flatMap((d, index) => {
    if (d.reduce) return [];
    const block = s.registerBlocks?.find((b) => b.dim === d.name)?.size ?? 1;
    const tile = s.tiles?.find((t) => t.dim === d.name)?.size ?? 1;
    return [{ index, name: d.name, extent: d.extent, block, tile, groups: Math.ceil(Math.ceil(d.extent / block) / tile), footprint: block * tile }];
  });
}

/** The parallel dims read `r` depends on, and the size of its workgroup footprint over them (per reduction step). */
function footprintOf(m: MapOp, dims: readonly TiledDim[], r: number): { dims: TiledDim[]; size: number } {
  const dep = dims.filter((d) => readsDependingOn(m, d.name).has(r));
  return { dims: dep, size: dep.reduce((n, d) => n * d.footprint, 1) };
}

const chunkOf = (s: MapSchedule): number => s.staged?.[0]?.k ?? 0;

/** Null when the tiles and staged reads of `s` are legal for `m`, else the reason. */
export function checkTiling(m: MapOp, s: MapSchedule): string | null {
  const tiles = s.tiles ?? [];
  if (tiles.length === 0) return s.staged?.length ? 'staging in workgroup memory needs workgroup tiles (a tile step)' : null;
  if (!m.write.wcr) return 'workgroup tiles need a reduction map';
  if (s.reduction !== 'serial') return `workgroup tiles need the serial reduction, not '${s.reduction}'`;
  if (s.unroll?.length) return 'workgroup tiles do not support unrolling yet';
  if (s.vectorized?.length) return 'workgroup tiles do not support vec4 accesses yet';
  if (s.order) return 'workgroup tiles do not support a reorder yet';
  for (const [i, t] of tiles.entries()) {
    const d = m.dims.find((x) => x.name === t.dim);
    if (!d) return `tile dim '${String(t.dim)}' is not a dim of the map (${m.dims.map((x) => x.name).join(', ')})`;
    if (d.reduce) return `tile dim '${t.dim}' is a reduce dim; only parallel dims are tiled over a workgroup`;
    if (!Number.isInteger(t.size) || t.size < 2) return `tile size ${String(t.size)} along '${t.dim}' is not an integer of at least 2`;
    if (tiles.findIndex((x) => x.dim === t.dim) !== i) return `tile dim '${t.dim}' is tiled twice`;
  }
  const invocations = tiles.reduce((n, t) => n * t.size, 1);
  if (s.workgroupSize !== invocations) return `workgroup size ${s.workgroupSize} is not the product of the tile sizes (${invocations})`;
  const staged = s.staged ?? [];
  const k = chunkOf(s);
  const inBody = new Set(readOrder(m, [m.body]));
  const dims = tiledDims(m, s);
  let words = 0;
  for (const [i, st] of staged.entries()) {
    const mem = m.reads[st.read];
    if (!mem) return `staged read ${String(st.read)} is not a read of the map (it has ${m.reads.length})`;
    if (staged.findIndex((x) => x.read === st.read) !== i) return `read ${st.read} is staged twice`;
    if (!Number.isInteger(st.k) || st.k < 1 || st.k > MAX_STAGE_CHUNK) return `stage chunk ${String(st.k)} is not an integer in [1, ${MAX_STAGE_CHUNK}]`;
    if (st.k !== k) return `staged reads must share one chunk of reduction steps, not ${k} and ${st.k}`;
    if (!inBody.has(st.read)) return `read ${st.read} is not read by the reduction body; only its reads are staged`;
    if (mem.index.some((e) => readsOf(e).size > 0)) return `read ${st.read} has an indirect index; only affine reads are staged`;
    if (m.reads.some((other) => other.index.some((e) => readsOf(e).has(st.read)))) return `read ${st.read} is an index of another read; only values are staged`;
    words += k * footprintOf(m, dims, st.read).size;
  }
  if (words * 4 > WORKGROUP_STORAGE_BYTES) return `the staged reads need ${words * 4} bytes of workgroup memory; ${WORKGROUP_STORAGE_BYTES} are guaranteed`;
  return null;
}

const indent = (l: string): string => `  ${l}`;

/**
 * `let <prefix><i> = …;` for each dim from the linear index `from` (last fastest); `P` spells the
 * extents and strides (parameters where they come from shapes, literals where from tiles).
 */
function delinearize(dims: readonly { index: number; extent: number }[], from: string, prefix: string, P: Pick<Params, 'int' | 'uniform'>): string[] {
  let stride = 1;
  const lines: string[] = [];
  for (let j = dims.length - 1; j >= 0; j--) {
    const { index, extent } = dims[j];
    const q = stride === 1 && (!P.uniform || j === dims.length - 1) ? from : `(${from} / ${P.int(stride)})`;
    lines.unshift(`let ${prefix}${index} = ${j === 0 ? q : `${q} % ${P.int(extent)}`};`);
    stride *= extent;
  }
  return lines;
}

const literals = { int: (x: number): string => `${x}`, uniform: false };

/**
 * The shader of a tiled map: `shared` (workgroup variables), `body` (after `let p = i32(flat)`,
 * where flat is the workgroup's linear id and `lid` the local invocation index) and the number
 * of workgroups.
 */
export function tiledReduction(m: MapOp, s: MapSchedule, blocks: readonly BlockedDim[], P: Params, e: TiledEmitters, typeOf: (r: number) => 'f' | 'i'): { shared: string[]; body: string[]; groups: number } {
  const dims = tiledDims(m, s);
  const reduce = m.dims.flatMap((d, index) => (d.reduce ? [{ index, extent: d.extent }] : []));
  const R = reduce.reduce((n, d) => n * d.extent, 1);
  const groups = dims.reduce((n, d) => n * d.groups, 1);
  const k = chunkOf(s);
  const staged = new Map((s.staged ?? []).map((st) => [st.read, footprintOf(m, dims, st.read)]));
  const blockedDeps = new Map(blocks.map((b) => [b.dim, readsDependingOn(m, b.dim)]));

  const body: string[] = ['let l = i32(lid);'];
  body.push(...delinearize(dims.map((d) => ({ index: d.index, extent: d.groups })), 'p', 'g', P));
  body.push(...delinearize(dims.map((d) => ({ index: d.index, extent: d.tile })), 'l', 'l', literals));
  // v<i>_<j>: lane j's value along dim i, clamped so that tail lanes and idle invocations read in bounds.
  for (const d of dims) {
    body.push(`let v${d.index}_base = (g${d.index} * ${d.tile} + l${d.index}) * ${d.block};`);
    for (let j = 0; j < d.block; j++) body.push(`let v${d.index}_${j} = min(v${d.index}_base + ${j}, ${P.int(d.extent - 1)});`);
  }

  // Every lane: one offset per dim (0 along unblocked ones), the last dim fastest.
  type Lane = ReadonlyMap<string, number>;
  let lanes: Lane[] = [new Map()];
  for (const d of dims) lanes = lanes.flatMap((l) => Array.from({ length: d.block }, (_, j) => new Map(l).set(d.name, j)));
  const accOf = (l: Lane): Typed => ({ code: `acc${blocks.map((b) => l.get(b.dim)).join('_')}`, t: 'f' });
  const readName = (l: Lane) => (r: number): string =>
    `r${r}${blocks.filter((b) => blockedDeps.get(b.dim)!.has(r)).map((b) => `_${b.dim.replace(/\W/g, '')}${l.get(b.dim)}`).join('')}`;
  const laneCtx = (l: Lane, acc?: Typed): ExprContext =>
    e.ctx(acc, new Map(dims.map((d) => [d.name, `v${d.index}_${l.get(d.name)}`])), readName(l));
  body.push(...lanes.map((l) => `var ${accOf(l).code}: f32 = ${e.identity};`));

  /** Position of lane `l`'s value of staged read `r` in its workgroup array, at chunk step `kk`. */
  const sharedIndex = (r: number, l: Lane): string => {
    const { dims: dep, size } = staged.get(r)!;
    let stride = 1;
    const terms: string[] = [];
    for (const d of [...dep].reverse()) {
      const pos = `l${d.index} * ${d.block}${l.get(d.name) ? ` + ${l.get(d.name)}` : ''}`;
      terms.push(stride === 1 ? `${pos}` : `(${pos}) * ${stride}`);
      stride *= d.footprint;
    }
    return [size === 1 ? 'kk' : `kk * ${size}`, ...terms].join(' + ');
  };
  const step = (): string[] => {
    const declared = new Set<string>();
    return lanes.flatMap((l) => {
      const lines: string[] = [];
      for (const r of readOrder(m, [m.body])) {
        const name = readName(l)(r);
        if (declared.has(name)) continue;
        declared.add(name);
        lines.push(staged.has(r) ? `let ${name} = s${r}[${sharedIndex(r, l)}];` : e.readLine(r, laneCtx(l)));
      }
      return [...lines, e.step(laneCtx(l, accOf(l)))];
    });
  };

  const shared = [...staged].map(([r, f]) => `var<workgroup> s${r}: array<${typeOf(r) === 'f' ? 'f32' : 'i32'}, ${k * f.size}>;`);
  if (staged.size === 0) {
    body.push(`for (var q: i32 = 0; q < ${P.int(R)}; q = q + 1) {`, ...delinearize(reduce, 'q', 'v', P).map(indent), ...step().map(indent), '}');
  } else {
    const loads = [...staged].flatMap(([r, { dims: dep, size }]) => {
      // Element j of the array: chunk position j / size, then the footprint positions (last fastest).
      const at = new Map<string, string>();
      const lines = [`let q = min(q0 + ${size === 1 ? 'j' : `j / ${size}`}, ${P.int(R - 1)});`, ...delinearize(reduce, 'q', 'c', P)];
      for (const d of reduce) at.set(m.dims[d.index].name, `c${d.index}`);
      let stride = 1;
      for (const d of [...dep].reverse()) {
        const pos = stride === 1 ? 'j' : `(j / ${stride})`;
        lines.push(`let c${d.index} = min(g${d.index} * ${d.footprint} + ${pos} % ${d.footprint}, ${P.int(d.extent - 1)});`);
        at.set(d.name, `c${d.index}`);
        stride *= d.footprint;
      }
      lines.push(e.readLine(r, e.ctx(undefined, at, () => 'x')), `s${r}[j] = x;`);
      return [`for (var j: i32 = l; j < ${k * size}; j = j + ${s.workgroupSize}) {`, ...lines.map(indent), '}'];
    });
    const chunk = [
      ...loads,
      'workgroupBarrier();',
      `for (var kk: i32 = 0; kk < min(${k}, ${P.int(R)} - q0); kk = kk + 1) {`,
      '  let q = q0 + kk;',
      ...delinearize(reduce, 'q', 'v', P).map(indent),
      ...step().map(indent),
      '}',
      'workgroupBarrier();',
    ];
    body.push(`for (var q0: i32 = 0; q0 < ${P.int(R)}; q0 = q0 + ${k}) {`, ...chunk.map(indent), '}');
  }

  // The epilogue and the guarded store of every lane.
  const roots = m.epilogue ? [m.epilogue] : [];
  for (const l of lanes) {
    const c = laneCtx(l, accOf(l));
    const value = m.epilogue ? emitExpr(m.epilogue, c) : accOf(l);
    const guards = dims.filter((d) => P.uniform || d.groups * d.tile * d.block > d.extent).map((d) => `v${d.index}_base + ${l.get(d.name)} < ${P.int(d.extent)}`);
    const reads = readOrder(m, roots).map((r) => e.readLine(r, c));
    body.push(guards.length ? `if (${guards.join(' && ')}) {` : '{', ...[...reads, e.store(value, c)].map(indent), '}');
  }
  return { shared, body, groups };
}

/** Invocations of a default tile along each of its two dims, and reduction steps per staged chunk. */
const DEFAULT_TILE = 8;
const DEFAULT_CHUNK = 16;

/**
 * The default on hardware for a GEMM-like map (a sum of products of two affine reads, each
 * independent of a parallel dim the other depends on: matmul, convolution as implicit GEMM) big
 * enough to fill 8×8 tiles and two chunks of 16 steps: `s` tiled 8×8 over the last such pair of
 * dims, both reads staged 16 steps at a time, as the well-known WGSL matmuls do, so that each
 * value loaded from global memory serves a whole row or column of the workgroup. Null otherwise.
 */
export function suggestStaging(m: MapOp, s: MapSchedule, target: { readonly maxInvocations: number }): MapSchedule | null {
  const { body } = m;
  if (m.write.wcr !== 'sum' || s.reduction !== 'serial' || body.k !== 'bin' || body.op !== 'mul' || body.a.k !== 'read' || body.b.k !== 'read') return null;
  const [a, b] = [body.a.m, body.b.m];
  if (a === b || [a, b].some((r) => m.reads[r].index.some((e) => readsOf(e).size > 0))) return null;
  const R = m.dims.filter((d) => d.reduce).reduce((n, d) => n * d.extent, 1);
  if (R < 2 * DEFAULT_CHUNK || DEFAULT_TILE * DEFAULT_TILE > target.maxInvocations) return null;
  const dims = tiledDims(m, { ...s, tiles: [] });
  const big = dims.filter((d) => Math.ceil(d.extent / d.block) >= DEFAULT_TILE);
  const only = (r: number, other: number) => big.filter((d) => {
    const dep = readsDependingOn(m, d.name);
    return dep.has(r) && !dep.has(other);
  }).at(-1);
  const [da, db] = [only(a, b), only(b, a)];
  if (!da || !db) return null;
  const staged: MapSchedule = {
    ...s, workgroupSize: DEFAULT_TILE * DEFAULT_TILE,
    tiles: [da, db].sort((x, y) => x.index - y.index).map((d) => ({ dim: d.name, size: DEFAULT_TILE })),
    staged: [{ read: a, k: DEFAULT_CHUNK }, { read: b, k: DEFAULT_CHUNK }],
  };
  return checkTiling(m, staged) ? null : staged;
}
