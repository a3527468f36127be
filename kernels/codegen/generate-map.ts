// One map of the loop-level IR → one WGSL compute shader under its resolved schedule. The shader
// holds compile-time information only (no buffer or kernel names), so identical maps share a
// pipeline; the map's run-time parameters (extents, strides, index constants, the dispatch grid
// width) are literals, or under the 'parameters' step slots of a uniform array bound after the
// storage (codegen/uniform-params.ts), so that maps differing only in shapes share one too.
// Storage is one binding per distinct storage buffer (aliases share their root's binding):
// read_write for the written one, read for the rest, and a second read binding as
// array<vec4<f32>> where a read is loaded four elements at a time.
// Elements are f32 (float32), i32 (int32, and int64 narrowed on upload) or u32 (bool, 0/1).

import { affine, affineRange, readsOf, type Expr } from '../../ir/expr.js';
import { readOrder, WCR_IDENTITY, type Buffer, type Dim, type MapOp, type Wcr } from '../../ir/program.js';
import { sizeOf, stridesOf, type DType } from '../../ir/tensor.js';
import type { MapSchedule } from '../schedule.js';
import { checkIndexRange } from './index-range.js';
import { serialReduction, type BlockedDim, type ReduceLoop } from './serial-reduction.js';
import { tiledReduction } from './tiled-reduction.js';
import { paramsOf, type Params } from './uniform-params.js';
import { checkVec4, VEC } from './vec4.js';
import { helperSource, type HelperName } from './wgsl-helpers.js';
import { emitExpr, floatLiteral, intLiteral, storeValue, toF, toI, type ExprContext, type Typed } from './wgsl-expr.js';

/** The most workgroups WebGPU guarantees per grid dimension. */
export const MAX_WORKGROUPS_PER_DIM = 65535;

export interface MapBinding {
  /** The storage buffer (alias root) bound at this binding index. */
  readonly buffer: string;
  readonly access: 'read' | 'read_write';
  /** Bound as array<vec4<f32>>: every access through it moves four elements. */
  readonly vec4?: boolean;
}

export interface GeneratedMap {
  readonly code: string;
  /** Binding i of group 0. */
  readonly bindings: readonly MapBinding[];
  /** dispatchWorkgroups(x, y); [0, 0] when the map has no points. */
  readonly workgroups: readonly [number, number];
  /** Under uniform parameters: the words of the uniform array, bound at binding `bindings.length`. */
  readonly uniforms?: Uint32Array;
}

export interface BufferLookup {
  /** The buffer as a memlet names it (its own shape). */
  buffer(name: string): Buffer;
  /** The storage buffer it lives in. */
  root(name: string): Buffer;
}

export const wgslElement = (dtype: DType): string => (dtype === 'float32' ? 'f32' : dtype === 'bool' ? 'u32' : 'i32');
const readType = (dtype: DType): 'f' | 'i' => (dtype === 'float32' ? 'f' : 'i');

export function generateMap(m: MapOp, s: MapSchedule, lookup: BufferLookup): GeneratedMap {
  const range = checkIndexRange(m, s, lookup);
  if (range) throw new Error(`codegen: ${range}`);
  for (const a of s.vectorized ?? []) {
    const why = checkVec4(m, s, a, lookup);
    if (why) throw new Error(`codegen: ${why}`);
  }
  const vecWrite = (s.vectorized ?? []).some((a) => a.access === 'write');
  // Bindings in order of first use, the write first: a root read only as vec4 is bound only so.
  const roots: MapBinding[] = [{ buffer: lookup.root(m.write.buffer).name, access: 'read_write', ...(vecWrite ? { vec4: true } : {}) }];
  const slot = (name: string, vec4 = false): string => {
    const buffer = lookup.root(name).name;
    let i = roots.findIndex((b) => b.buffer === buffer && (b.access === 'read_write' || Boolean(b.vec4) === vec4));
    if (i < 0) i = roots.push({ buffer, access: 'read', ...(vec4 ? { vec4: true } : {}) }) - 1;
    return `b${i}`;
  };
  const P = paramsOf(s.parameters ?? 'constant');
  const helpers = new Set<HelperName>();
  const dimIndex = new Map(m.dims.map((d, i) => [d.name, i]));
  // `renamed`: iteration variables spelled otherwise (a register block's lane, an unrolled copy);
  // `readName`: reads spelled otherwise (per lane and copy, or a vec4 component).
  const ctx = (acc?: Typed, renamed?: ReadonlyMap<string, string>, readName?: (r: number) => string): ExprContext => ({
    variable(name) {
      const i = dimIndex.get(name);
      if (i === undefined) throw new Error(`codegen: unknown iteration variable ${name}`);
      return { code: renamed?.get(name) ?? `v${i}`, t: 'i' };
    },
    read: (i) => ({ code: readName?.(i) ?? `r${i}`, t: readType(lookup.buffer(m.reads[i].buffer).dtype) }),
    ...(acc ? { acc } : {}),
    use: (h) => helpers.add(h),
  });
  const c0 = ctx();
  // Integer constants of index arithmetic are parameters (a concat's offset, a reshape's divisor);
  // those of the body and epilogue are values and stay literals.
  const index = (e: Expr, c: ExprContext = c0): string => toI(emitExpr(e, { ...c, int: P.int }), c);
  const offset = (name: string, idx: readonly string[]): string => {
    const strides = stridesOf(lookup.buffer(name).shape);
    const unit = (i: number): boolean => i === idx.length - 1 || (!P.uniform && strides[i] === 1);
    return idx.map((x, i) => (unit(i) ? x : `${x} * ${P.int(strides[i])}`)).join(' + ') || '0';
  };
  const load = (name: string, off: string): string => {
    const raw = `${slot(name)}[${off}]`;
    return lookup.buffer(name).dtype === 'bool' ? `i32(${raw})` : raw;
  };
  const readLines = (roots: readonly Expr[], c: ExprContext = c0): string[] => readOrder(m, roots).map((r) => readLine(r, c));
  const readLine = (r: number, c: ExprContext): string => {
    const mem = m.reads[r];
    const buf = lookup.buffer(mem.buffer);
    const indirect = mem.index.some((e) => readsOf(e).size > 0);
    const name = c.read(r).code;
    if (mem.pad === undefined && !indirect) return `let ${name} = ${load(mem.buffer, offset(mem.buffer, mem.index.map((e) => index(e, c))))};`;
    const names = mem.index.map((_, i) => `i${name}_${i}`);
    const decl = mem.index.map((e, i) => `let ${names[i]} = ${index(e, c)};`).join(' ');
    if (mem.pad === undefined) {
      // An out-of-range gather is the model's error (the interpreter throws); the GPU cannot throw,
      // so the index is clamped rather than read out of bounds.
      const clamped = names.map((n, i) => `clamp(${n}, 0, ${P.int(Math.max(0, buf.shape[i] - 1))})`);
      return `${decl} let ${name} = ${load(mem.buffer, offset(mem.buffer, clamped))};`;
    }
    // Only the bounds an index can cross are tested: its range over the dims' extents decides
    // (under uniform parameters every bound, as other shapes may cross them).
    const tests = mem.index.flatMap((e, i) => {
      const form = P.uniform ? null : affine(e);
      const range = form ? affineRange(form, (name) => m.dims[dimIndex.get(name)!].extent) : { lo: -Infinity, hi: Infinity };
      return [...(range.lo < 0 ? [`(${names[i]} >= 0)`] : []), ...(range.hi >= buf.shape[i] ? [`(${names[i]} < ${P.int(buf.shape[i])})`] : [])];
    });
    if (tests.length === 0) return `${decl} let ${name} = ${load(mem.buffer, offset(mem.buffer, names))};`;
    // Branch-free: a read at the clamped offset, then a select. Short-circuit `&&` guards are
    // branches, and SwiftShader's compiler slows down steeply (minutes) on many of them in one loop.
    const inside = tests.join(' & ');
    const pad = readType(buf.dtype) === 'f' ? floatLiteral(mem.pad, (h) => helpers.add(h)) : intLiteral(Math.trunc(mem.pad));
    const last = Math.max(0, sizeOf(buf.shape) - 1);
    return `${decl} let ${name} = select(${pad}, ${load(mem.buffer, `clamp(${offset(mem.buffer, names)}, 0, ${P.int(last)})`)}, ${inside});`;
  };
  const writeBuf = lookup.buffer(m.write.buffer);
  const writeOffset = (c: ExprContext): string => offset(m.write.buffer, m.write.index.map((e) => index(e, c)));
  const store = (value: Typed, c: ExprContext): string => `${slot(m.write.buffer)}[${writeOffset(c)}] = ${storeValue(value, writeBuf.dtype, c)};`;
  // vec4 offsets are proven multiples of 4 (vec4.ts), so the division is exact.
  const vecLoad = (r: number, c: ExprContext): string => {
    const mem = m.reads[r];
    return `${slot(mem.buffer, true)}[(${offset(mem.buffer, mem.index.map((e) => index(e, c)))}) / ${VEC}]`;
  };
  const vecStore = (values: readonly Typed[], c: ExprContext): string =>
    `${slot(m.write.buffer)}[(${writeOffset(c)}) / ${VEC}] = vec4<f32>(${values.map(toF).join(', ')});`;

  // The dims in the schedule's order: parallel ones linearized (last fastest), reduce ones nested (first outermost).
  const ordered = (s.order ?? m.dims.map((d) => d.name)).map((name) => {
    const i = dimIndex.get(name);
    if (i === undefined) throw new Error(`codegen: the order names ${name}, not a dim`);
    return { d: m.dims[i], i };
  });
  const reduce = ordered.filter(({ d }) => d.reduce);
  const hasReduce = reduce.length > 0 || m.write.wcr !== undefined;
  if (reduce.length > 0 && !m.write.wcr) throw new Error('codegen: a map with reduce dims needs a wcr');
  const tree = hasReduce && s.reduction === 'workgroup-tree';
  const subgroup = hasReduce && s.reduction === 'subgroup';
  // One workgroup per output point: its invocations share the reduction, strided.
  const perGroup = tree || subgroup;
  const blocks: BlockedDim[] = (s.registerBlocks ?? []).map((b) => {
    const index = m.dims.findIndex((d) => d.name === b.dim && !d.reduce);
    if (index < 0) throw new Error(`codegen: register block dim ${b.dim} is not a parallel dim`);
    return { ...b, index, extent: m.dims[index].extent };
  });
  if ((blocks.length || s.unroll?.length) && (!hasReduce || perGroup)) throw new Error('codegen: register blocking and unrolling need a serial reduction');
  // A blocked dim is enumerated in steps of its block size: v<i> is the tile's index there.
  const tileExtent = (d: Dim, i: number): number => Math.ceil(d.extent / (blocks.find((b) => b.index === i)?.size ?? 1));
  const parallel = ordered.map(({ d, i }) => ({ d: { ...d, extent: tileExtent(d, i) }, i })).filter(({ d }) => !d.reduce);
  const points = parallel.reduce((n, { d }) => n * d.extent, 1);
  const wg = s.workgroupSize;
  const tiled = s.tiles?.length ? tiledReduction(m, s, blocks, P, {
    identity: floatLiteral(WCR_IDENTITY[m.write.wcr ?? 'sum'], (h) => helpers.add(h)), store, ctx, readLine,
    step: (c) => `${c.acc!.code} = ${combine(m.write.wcr!, c.acc!.code, toF(emitExpr(m.body, c)))};`,
  }, (r) => readType(lookup.buffer(m.reads[r].buffer).dtype)) : undefined;
  const groups = tiled ? tiled.groups : perGroup ? points : Math.ceil(points / wg);
  const gx = Math.min(groups, MAX_WORKGROUPS_PER_DIM);
  const gy = gx === 0 ? 0 : Math.ceil(groups / gx);
  if (gy > MAX_WORKGROUPS_PER_DIM) throw new Error(`codegen: ${groups} workgroups exceed a ${MAX_WORKGROUPS_PER_DIM}² grid`);

  const body: string[] = [];
  if (tiled) {
    body.push(...tiled.body);
  } else if (!hasReduce) {
    body.push(...delinearize(parallel, 'p', P));
    body.push(...readLines([m.body]));
    body.push(store(emitExpr(m.body, c0), c0));
  } else {
    body.push(...delinearize(parallel, 'p', P));
    const wcr = m.write.wcr!;
    const identity = floatLiteral(WCR_IDENTITY[wcr], (h) => helpers.add(h));
    if (perGroup) {
      const step = [...readLines([m.body]), `acc = ${combine(wcr, 'acc', toF(emitExpr(m.body, c0)))};`];
      const rExtent = reduce.reduce((n, { d }) => n * d.extent, 1);
      body.push(`var acc: f32 = ${identity};`);
      body.push(`for (var q: i32 = i32(lid); q < ${P.int(rExtent)}; q = q + ${wg}) {`, ...delinearize(reduce, 'q', P).map(indent), ...step.map(indent), '}');
      if (tree) {
        body.push('sh[lid] = acc;', 'workgroupBarrier();');
        // Unrolled, so that every barrier is plainly in uniform control flow.
        for (let half = wg / 2; half >= 1; half /= 2) {
          body.push(`if (lid < ${half}u) { sh[lid] = ${combine(wcr, 'sh[lid]', `sh[lid + ${half}u]`)}; }`, 'workgroupBarrier();');
        }
        body.push('let total = sh[0];');
      } else {
        // The workgroup is one subgroup (checkMapSchedule), and control flow is uniform here: every
        // invocation left the loop, and the early return above depends on the workgroup id only.
        body.push(`let total = ${SUBGROUP_OP[wcr]}(acc);`);
      }
      body.push('if (lid == 0u) {');
      const c1 = ctx({ code: 'total', t: 'f' });
      const tail = [...readLines(m.epilogue ? [m.epilogue] : []), store(m.epilogue ? emitExpr(m.epilogue, c1) : { code: 'total', t: 'f' }, c1)];
      body.push(...tail.map(indent), '}');
    } else {
      const unrolled = new Map((s.unroll ?? []).map((u) => [u.dim, u.factor]));
      const loops: ReduceLoop[] = reduce.map(({ d, i }) => ({ dim: d.name, index: i, extent: d.extent, factor: unrolled.get(d.name) ?? 1 }));
      body.push(...serialReduction(m, { blocks, loops, vec4: s.vectorized ?? [] }, P, {
        identity, store, vecLoad, vecStore, ctx, readLine,
        step: (c) => `${c.acc!.code} = ${combine(wcr, c.acc!.code, toF(emitExpr(m.body, c)))};`,
      }));
    }
  }

  const decls = roots.map((b, i) => {
    const dtype = lookup.root(b.buffer).dtype;
    return `@group(0) @binding(${i}) var<storage, ${b.access}> b${i}: array<${b.vec4 ? 'vec4<f32>' : wgslElement(dtype)}>;`;
  });
  // The body is emitted first, so the grid's parameters take the last slots.
  const head = perGroup || tiled
    ? [...(tree ? [`var<workgroup> sh: array<f32, ${wg}>;`] : []), ...(tiled?.shared ?? []), '', `@compute @workgroup_size(${wg})`,
      'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {']
    : [`@compute @workgroup_size(${wg})`, 'fn main(@builtin(global_invocation_id) gid: vec3u) {'];
  const flat = perGroup || tiled ? `let flat = wid.x + wid.y * ${P.u32(gx)};` : `let flat = gid.x + gid.y * ${P.u32(gx * wg)};`;
  const bound = `if (flat >= ${P.u32(tiled ? groups : points)}) { return; }`;
  const uniform = P.declaration(roots.length);
  const code = [
    ...(subgroup ? ['enable subgroups;'] : []),
    ...decls,
    ...(uniform ? [uniform] : []),
    helperSource(helpers),
    ...head,
    ...[...P.prelude(), flat, bound].map(indent),
    '  let p = i32(flat);',
    ...body.map(indent),
    '}',
    '',
  ].filter((l) => l !== '').join('\n');
  const uniforms = P.words();
  return { code, bindings: roots, workgroups: [gx, gy], ...(uniforms ? { uniforms } : {}) };
}

const indent = (l: string): string => `  ${l}`;

/** `let vI = ...;` for each dim of `dims` from the linear index `from` (last dim fastest). */
function delinearize(dims: readonly { d: { extent: number }; i: number }[], from: string, P: Params): string[] {
  let stride = 1;
  const lines: string[] = [];
  for (let j = dims.length - 1; j >= 0; j--) {
    const { d, i } = dims[j];
    const q = stride === 1 && (!P.uniform || j === dims.length - 1) ? from : `(${from} / ${P.int(stride)})`;
    lines.unshift(j === 0 ? `let v${i} = ${q};` : `let v${i} = ${q} % ${P.int(d.extent)};`);
    stride *= d.extent;
  }
  return lines;
}

/** The subgroup operation that combines the partial results of a wcr. */
const SUBGROUP_OP: Readonly<Record<Wcr, string>> = { sum: 'subgroupAdd', prod: 'subgroupMul', max: 'subgroupMax', min: 'subgroupMin' };

function combine(wcr: Wcr, a: string, b: string): string {
  switch (wcr) {
    case 'sum': return `${a} + ${b}`;
    case 'prod': return `${a} * ${b}`;
    case 'max': return `max(${a}, ${b})`;
    case 'min': return `min(${a}, ${b})`;
  }
}

