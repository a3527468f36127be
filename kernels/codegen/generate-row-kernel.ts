// A row kernel (ir/fusion/row-fusion.ts: maps sharing their outer parallel dims) → one WGSL compute
// shader, one dispatch. Its first map's schedule picks the strategy (codegen/row-schedule.ts):
//   'serial'   invocation per row: each invocation runs every map's inner loops for its row, one
//              map after the other, with no barrier (its own stores are visible to its own loads).
//   'workgroup-tree' / 'subgroup'   workgroup per row: each map is a phase whose inner iterations
//              are spread over the invocations (strided); a reduction over the whole row combines
//              the partial results by a tree in workgroup memory or one subgroup operation, and
//              invocation 0 stores it; a barrier between phases makes each phase's stores visible
//              to the next (and keeps a later phase from overwriting what an earlier one reads).
// Intermediates are the program's buffers, written and read inside the dispatch. Extents, strides
// and the grid are WGSL literals (compile-time information only), as in generate-map.ts.

import { affine, affineRange, readsOf, type Expr } from '../../ir/expr.js';
import { rowDimsOf, type RowLayout } from '../../ir/fusion/index.js';
import { readOrder, WCR_IDENTITY, type Kernel, type MapOp, type Wcr } from '../../ir/program.js';
import { sizeOf, stridesOf } from '../../ir/tensor.js';
import type { MapSchedule } from '../schedule.js';
import { MAX_WORKGROUPS_PER_DIM, wgslElement, type BufferLookup, type GeneratedMap, type MapBinding } from './generate-map.js';
import { helperSource, type HelperName } from './wgsl-helpers.js';
import { emitExpr, floatLiteral, intLiteral, storeValue, toF, toI, type ExprContext, type Typed } from './wgsl-expr.js';

/** A dim of a map and its position among the map's dims (its WGSL variable is `v<i>`). */
interface PlacedDim { readonly extent: number; readonly i: number }

export function generateRowKernel(k: Kernel, layout: RowLayout, s: MapSchedule, lookup: BufferLookup): GeneratedMap {
  const perGroup = s.reduction !== 'serial';
  const wg = s.workgroupSize;
  const helpers = new Set<HelperName>();
  const use = (h: HelperName): void => { helpers.add(h); };
  // Bindings: every written root first (read_write), then the roots only read, in order of use.
  const bindings: MapBinding[] = [];
  const written = new Set(k.maps.map((m) => lookup.root(m.write.buffer).name));
  const slot = (name: string): string => {
    const buffer = lookup.root(name).name;
    let i = bindings.findIndex((b) => b.buffer === buffer);
    if (i < 0) i = bindings.push({ buffer, access: written.has(buffer) ? 'read_write' : 'read' }) - 1;
    return `b${i}`;
  };
  for (const m of k.maps) slot(m.write.buffer);
  let tree = false;
  let subgroup = false;

  /** One map's phase, in a block of its own so that every phase can name its variables alike. */
  const phase = (m: MapOp): string[] => {
    const dimIndex = new Map(m.dims.map((d, i) => [d.name, i]));
    const ctx = (acc?: Typed): ExprContext => ({
      variable(name) {
        const i = dimIndex.get(name);
        if (i === undefined) throw new Error(`codegen: unknown iteration variable ${name}`);
        return { code: `v${i}`, t: 'i' };
      },
      read: (r) => ({ code: `r${r}`, t: lookup.buffer(m.reads[r].buffer).dtype === 'float32' ? 'f' : 'i' }),
      ...(acc ? { acc } : {}),
      use,
    });
    const c0 = ctx();
    const index = (e: Expr): string => toI(emitExpr(e, c0), c0);
    const offset = (name: string, idx: readonly string[]): string => {
      const strides = stridesOf(lookup.buffer(name).shape);
      return idx.map((x, i) => (strides[i] === 1 ? x : `${x} * ${strides[i]}`)).join(' + ') || '0';
    };
    const reads = (roots: readonly Expr[]): string[] => readOrder(m, roots).map((r) => loadLine(m, r, lookup, { slot, offset, index, use }));
    const store = (value: Typed, c: ExprContext): string =>
      `${slot(m.write.buffer)}[${offset(m.write.buffer, m.write.index.map(index))}] = ${storeValue(value, lookup.buffer(m.write.buffer).dtype, c)};`;

    const rows = new Set(rowDimsOf(m, layout).map((d) => d.name));
    const placed = m.dims.map((d, i) => ({ d, i }));
    const inner: PlacedDim[] = placed.filter(({ d }) => !d.reduce && !rows.has(d.name)).map(({ d, i }) => ({ extent: d.extent, i }));
    const reduce: PlacedDim[] = placed.filter(({ d }) => d.reduce).map(({ d, i }) => ({ extent: d.extent, i }));
    const innerPoints = inner.reduce((n, d) => n * d.extent, 1);
    const lines = [...rowDimsOf(m, layout).map((d, j) => `let v${dimIndex.get(d.name)} = row${j};`)];
    // The loop over the inner parallel points: this invocation's share of them, or all.
    const overInner = (point: readonly string[]): string[] => {
      if (inner.length === 0 && !perGroup) return [...point];
      const from = perGroup ? 'i32(lid)' : '0';
      return [`for (var q: i32 = ${from}; q < ${innerPoints}; q = q + ${perGroup ? wg : 1}) {`, ...delinearize(inner, 'q').map(indent), ...point.map(indent), '}'];
    };
    if (!m.write.wcr) {
      lines.push(...overInner([...reads([m.body]), store(emitExpr(m.body, c0), c0)]));
      return ['{', ...lines.map(indent), '}'];
    }
    const wcr = m.write.wcr;
    const steps = reduce.reduce((n, d) => n * d.extent, 1);
    const loop = (from: string, stride: number): string[] => [
      `var acc: f32 = ${floatLiteral(WCR_IDENTITY[wcr], use)};`,
      `for (var s: i32 = ${from}; s < ${steps}; s = s + ${stride}) {`,
      ...[...delinearize(reduce, 's'), ...reads([m.body]), `acc = ${combine(wcr, 'acc', toF(emitExpr(m.body, c0)))};`].map(indent),
      '}',
    ];
    const finish = (total: string): string[] => {
      const c = ctx({ code: total, t: 'f' });
      return [...reads(m.epilogue ? [m.epilogue] : []), store(m.epilogue ? emitExpr(m.epilogue, c) : { code: total, t: 'f' }, c)];
    };
    if (!perGroup || inner.length > 0) {
      // Each invocation reduces whole points serially (per row, or its share of the row's points).
      lines.push(...overInner([...loop('0', 1), ...finish('acc')]));
    } else if (s.reduction === 'subgroup') {
      // The workgroup is one subgroup (row-schedule.ts), and control flow is uniform here.
      subgroup = true;
      lines.push(...loop('i32(lid)', wg), `let total = ${SUBGROUP_OP[wcr]}(acc);`, 'if (lid == 0u) {', ...finish('total').map(indent), '}');
    } else {
      tree = true;
      lines.push(...loop('i32(lid)', wg), 'sh[lid] = acc;', 'workgroupBarrier();');
      // Unrolled, so that every barrier is plainly in uniform control flow.
      for (let half = wg / 2; half >= 1; half /= 2) {
        lines.push(`if (lid < ${half}u) { sh[lid] = ${combine(wcr, 'sh[lid]', `sh[lid + ${half}u]`)}; }`, 'workgroupBarrier();');
      }
      lines.push('if (lid == 0u) {', ...finish('sh[0]').map(indent), '}');
    }
    return ['{', ...lines.map(indent), '}'];
  };

  const phases = k.maps.map(phase);
  // Between phases of a workgroup: the stores of one are seen by the next (storage), and the tree's
  // workgroup memory is not overwritten before every invocation is past its last use.
  const barrier = [...(perGroup ? ['storageBarrier();'] : []), ...(tree ? ['workgroupBarrier();'] : [])];
  const body = phases.flatMap((lines, i) => (i === 0 ? lines : [...barrier, ...lines]));
  const rows = layout.extents.reduce((n, x) => n * x, 1);
  const groups = perGroup ? rows : Math.ceil(rows / wg);
  const gx = Math.min(groups, MAX_WORKGROUPS_PER_DIM);
  const gy = gx === 0 ? 0 : Math.ceil(groups / gx);
  if (gy > MAX_WORKGROUPS_PER_DIM) throw new Error(`codegen: ${groups} workgroups exceed a ${MAX_WORKGROUPS_PER_DIM}² grid`);
  const decls = bindings.map((b, i) => `@group(0) @binding(${i}) var<storage, ${b.access}> b${i}: array<${wgslElement(lookup.root(b.buffer).dtype)}>;`);
  const head = perGroup
    ? [...(tree ? [`var<workgroup> sh: array<f32, ${wg}>;`] : []), `@compute @workgroup_size(${wg})`,
      'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {',
      `  let flat = wid.x + wid.y * ${gx}u;`]
    : [`@compute @workgroup_size(${wg})`,
      'fn main(@builtin(global_invocation_id) gid: vec3u) {',
      `  let flat = gid.x + gid.y * ${gx * wg}u;`];
  const code = [
    ...(subgroup ? ['enable subgroups;'] : []),
    ...decls,
    helperSource(helpers),
    ...head,
    `  if (flat >= ${rows}u) { return; }`,
    ...delinearize(layout.extents.map((extent, i) => ({ extent, i })), 'i32(flat)').map((l) => indent(l.replace(/^let v/, 'let row'))),
    ...body.map(indent),
    '}',
    '',
  ].filter((l) => l !== '').join('\n');
  return { code, bindings, workgroups: [gx, gy] };
}

/**
 * `let r<r> = …;`: read `r` of `m`. A guarded read loads at a clamped offset and selects its pad
 * where an index can cross a bound (branch-free); an indirect read clamps its index.
 */
function loadLine(m: MapOp, r: number, lookup: BufferLookup, emit: { slot(name: string): string; offset(name: string, idx: readonly string[]): string; index(e: Expr): string; use(h: HelperName): void }): string {
  const mem = m.reads[r];
  const { shape, dtype } = lookup.buffer(mem.buffer);
  const load = (off: string): string => (dtype === 'bool' ? `i32(${emit.slot(mem.buffer)}[${off}])` : `${emit.slot(mem.buffer)}[${off}]`);
  const indirect = mem.index.some((e) => readsOf(e).size > 0);
  if (mem.pad === undefined && !indirect) return `let r${r} = ${load(emit.offset(mem.buffer, mem.index.map(emit.index)))};`;
  const names = mem.index.map((_, i) => `ir${r}_${i}`);
  const decl = mem.index.map((e, i) => `let ${names[i]} = ${emit.index(e)};`).join(' ');
  if (mem.pad === undefined) return `${decl} let r${r} = ${load(emit.offset(mem.buffer, names.map((n, i) => `clamp(${n}, 0, ${Math.max(0, shape[i] - 1)})`)))};`;
  const extent = new Map(m.dims.map((d) => [d.name, d.extent]));
  const tests = mem.index.flatMap((e, i) => {
    const form = affine(e);
    const range = form ? affineRange(form, (name) => extent.get(name)!) : { lo: -Infinity, hi: Infinity };
    return [...(range.lo < 0 ? [`(${names[i]} >= 0)`] : []), ...(range.hi >= shape[i] ? [`(${names[i]} < ${shape[i]})`] : [])];
  });
  if (tests.length === 0) return `${decl} let r${r} = ${load(emit.offset(mem.buffer, names))};`;
  const pad = dtype === 'float32' ? floatLiteral(mem.pad, emit.use) : intLiteral(Math.trunc(mem.pad));
  return `${decl} let r${r} = select(${pad}, ${load(`clamp(${emit.offset(mem.buffer, names)}, 0, ${Math.max(0, sizeOf(shape) - 1)})`)}, ${tests.join(' & ')});`;
}

const indent = (l: string): string => `  ${l}`;

/** `let v<i> = …;` for each dim from the linear index `from` (last dim fastest). */
function delinearize(dims: readonly PlacedDim[], from: string): string[] {
  let stride = 1;
  const lines: string[] = [];
  for (let j = dims.length - 1; j >= 0; j--) {
    const q = stride === 1 ? from : `(${from} / ${stride})`;
    lines.unshift(j === 0 ? `let v${dims[j].i} = ${q};` : `let v${dims[j].i} = ${q} % ${dims[j].extent};`);
    stride *= dims[j].extent;
  }
  return lines;
}

const SUBGROUP_OP: Readonly<Record<Wcr, string>> = { sum: 'subgroupAdd', prod: 'subgroupMul', max: 'subgroupMax', min: 'subgroupMin' };

function combine(wcr: Wcr, a: string, b: string): string {
  return wcr === 'sum' ? `${a} + ${b}` : wcr === 'prod' ? `${a} * ${b}` : `${wcr}(${a}, ${b})`;
}
