// Row fusion: maps that share their outer parallel dims (the "row dims": the first parallel dims
// of every map, with the same extents) run as one kernel, row by row: for each row, every map's
// inner iterations (its other parallel dims and its reduce dims) in program order. A decomposed
// LayerNorm (mean, variance, normalize) or Softmax (max, sum of exponentials, divide) becomes one
// dispatch. It is legal when a row only ever touches the elements of buffers written inside the
// kernel that the same row writes: every access to such a buffer indexes it through the row dims
// alone, the same way in every map, and injectively (no two rows share an element). Classified
// from the memlets, never from operator names. Intermediates stay buffers: they are written and
// read within one dispatch (kernels/codegen/generate-row-kernel.ts orders the phases).

import { FreightError } from '../errors.js';
import { printExpr, readsOf, v, varsOf, type Expr } from '../expr.js';
import { storageOf, type Dim, type Kernel, type MapOp, type Memlet, type Program } from '../program.js';
import { graphOrder } from './edit-program.js';
import { DEFAULT_MAX_BINDINGS, formatSite, type FusionOptions, type FusionSite } from './fusion-site.js';
import { invertIndex, pinUnitDims } from './index-algebra.js';
import { isReduction } from './mapping-type.js';
import { sameExpr, substitute } from './rewrite.js';

/** How the maps of a row kernel split into rows. */
export interface RowLayout {
  /** How many of each map's first parallel dims are row dims. */
  readonly rowDims: number;
  /** Their extents, outermost first. */
  readonly extents: readonly number[];
}

/** The row dims of `m` under `layout`: its first parallel dims. */
export const rowDimsOf = (m: MapOp, layout: RowLayout): Dim[] => m.dims.filter((d) => !d.reduce).slice(0, layout.rowDims);

/** How kernel `k` runs row by row; or why it cannot (every kernel of one map cannot: it needs no rows). */
export function rowLayout(p: Program, k: Kernel, options: FusionOptions = {}): RowLayout | string {
  return layoutOf(p, k.maps, options);
}

/** Adjacent kernels where a map of the second reads what a map of the first writes (legality unchecked), in program order. */
export function rowSites(p: Program): FusionSite[] {
  return p.kernels.slice(1).flatMap((second, i) => {
    const site = siteBetween(p, p.kernels[i], second);
    return site ? [site] : [];
  });
}

/** Why the producer's kernel and the consumer's kernel cannot run as one row kernel, or null. */
export function checkRowFusion(p: Program, site: FusionSite, options: FusionOptions = {}): string | null {
  const planned = planRows(p, site, options);
  return typeof planned === 'string' ? planned : null;
}

/** The program with the two kernels of `site` merged into the first; throws when `checkRowFusion` refuses. */
export function fuseRows(p: Program, site: FusionSite, options: FusionOptions = {}): Program {
  const planned = planRows(p, site, options);
  if (typeof planned === 'string') throw new FreightError(`cannot fuse ${formatSite(site)} by rows: ${planned}`);
  const order = options.order ?? graphOrder(p);
  const rank = (op: string): number => order.get(op) ?? order.size;
  const [first, second] = planned;
  const merged: Kernel = { id: first.id, ops: [...new Set([...first.ops, ...second.ops])].sort((a, b) => rank(a) - rank(b)), maps: [...first.maps, ...second.maps] };
  return { ...p, kernels: p.kernels.flatMap((k) => (k === first ? [merged] : k === second ? [] : [k])) };
}

/**
 * Whether maps run as a row kernel are worth it: every reduction reduces whole rows (all its
 * parallel dims are row dims), and a map with inner parallel dims reads a reduction's result (a
 * row statistic broadcast over the row, as LayerNorm's normalize reads the mean). A reduction with
 * inner parallel dims (a GEMM) would give up its own schedule (tiles, register blocks); and maps
 * whose rows are single points (a convolution and its activation) are what epilogues are for.
 */
export function rowsPay(p: Program, maps: readonly MapOp[], layout: RowLayout): boolean {
  const parallel = (m: MapOp): number => m.dims.filter((d) => !d.reduce).length;
  const reductions = maps.filter(isReduction);
  if (reductions.length === 0 || reductions.some((m) => parallel(m) !== layout.rowDims)) return false;
  const statistics = new Set(reductions.map((m) => storageOf(p, m.write.buffer).name));
  return maps.some((m) => parallel(m) > layout.rowDims && m.reads.some((r) => statistics.has(storageOf(p, r.buffer).name)));
}

/**
 * The default plan's runs: from each kernel, the longest run of adjacent kernels, each reading what
 * the run before it writes, that is a legal row kernel and pays; as [first, end) kernel positions.
 */
export function rowRuns(p: Program, options: FusionOptions = {}): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < p.kernels.length; i++) {
    let maps: MapOp[] = [...p.kernels[i].maps];
    let end = i + 1;
    for (let j = i + 1; j < p.kernels.length; j++) {
      if (!siteBetween(p, { ...p.kernels[i], maps }, p.kernels[j])) break;
      maps = [...maps, ...p.kernels[j].maps];
      const layout = layoutOf(p, maps, options);
      if (typeof layout === 'string') break;
      if (rowsPay(p, maps, layout)) end = j + 1;
    }
    if (end > i + 1) runs.push([i, end]);
    i = end - 1;
  }
  return runs;
}

/** The first map of `second` reading what a map of `first` writes, as a site. */
function siteBetween(p: Program, first: Kernel, second: Kernel): FusionSite | undefined {
  const root = (name: string): string => storageOf(p, name).name;
  for (const [c, consumer] of second.maps.entries()) {
    const read = new Set(consumer.reads.map((r) => root(r.buffer)));
    const producer = first.maps.findIndex((m) => read.has(root(m.write.buffer)));
    if (producer >= 0) return { producer: { kernel: first.id, map: producer }, consumer: { kernel: second.id, map: c } };
  }
  return undefined;
}

function planRows(p: Program, site: FusionSite, options: FusionOptions): [Kernel, Kernel] | string {
  const at = p.kernels.findIndex((k) => k.id === site.producer.kernel);
  if (at < 0) return `there is no kernel ${site.producer.kernel}`;
  const [first, second] = [p.kernels[at], p.kernels[at + 1]];
  if (second?.id !== site.consumer.kernel) return `kernel ${site.consumer.kernel} does not directly follow kernel ${first.id}`;
  const found = siteBetween(p, first, second);
  if (!found || formatSite(found) !== formatSite(site)) {
    return found ? `the first read of ${first.id}'s results in ${second.id} is ${formatSite(found)}` : `no map of ${second.id} reads what ${first.id} writes`;
  }
  const layout = layoutOf(p, [...first.maps, ...second.maps], options);
  return typeof layout === 'string' ? layout : [first, second];
}

/** The layout with the most row dims under which `maps`, run in order, can go row by row; or why none. */
function layoutOf(p: Program, maps: readonly MapOp[], options: FusionOptions): RowLayout | string {
  if (maps.length < 2) return 'a row kernel needs at least two maps';
  const roots = new Set(maps.flatMap((m) => [m.write.buffer, ...m.reads.map((r) => r.buffer)]).map((b) => storageOf(p, b).name));
  const bindings = options.maxBindings ?? DEFAULT_MAX_BINDINGS;
  if (roots.size > bindings) return `the row kernel would bind ${roots.size} storage buffers; the limit is ${bindings}`;
  const parallel = maps.map((m) => m.dims.filter((d) => !d.reduce).map((d) => d.extent));
  let most = Math.min(...parallel.map((e) => e.length));
  for (let j = 0; j < most; j++) if (parallel.some((e) => e[j] !== parallel[0][j])) most = j;
  if (most === 0) return `the maps share no outer parallel dims (their parallel extents are ${parallel.map((e) => `[${e.join(', ')}]`).join(', ')})`;
  let reason = '';
  for (let n = most; n >= 1; n--) {
    const layout: RowLayout = { rowDims: n, extents: parallel[0].slice(0, n) };
    const why = checkLayout(p, maps, layout);
    if (why === null) return layout;
    reason ||= why;
  }
  return reason;
}

/** Why `maps` cannot run row by row under `layout`, or null. */
function checkLayout(p: Program, maps: readonly MapOp[], layout: RowLayout): string | null {
  const root = (name: string): string => storageOf(p, name).name;
  const writer = new Map<string, number>();
  for (const [i, m] of maps.entries()) {
    const w = root(m.write.buffer);
    const before = writer.get(w);
    if (before !== undefined) return `'${w}' is written by two maps of the kernel (m${before} and m${i})`;
    writer.set(w, i);
  }
  for (const [j, m] of maps.entries()) {
    for (const memlet of m.reads) {
      const i = writer.get(root(memlet.buffer));
      if (i === undefined) continue;
      if (i === j) return `m${j} reads '${memlet.buffer}', which it writes`;
      const why = sameRow(p, maps[i], maps[j], memlet, layout);
      if (why) return `m${j} reads '${memlet.buffer}' of m${i}${why}`;
    }
  }
  return null;
}

/** Why the read `memlet` of `reader` may see an element another row of `writer` writes (a phrase that follows "reads B of mI"), or null. */
function sameRow(p: Program, writer: MapOp, reader: MapOp, memlet: Memlet, layout: RowLayout): string | null {
  if (memlet.pad !== undefined) return ' through a guarded memlet';
  if (memlet.index.some((e) => readsOf(e).size > 0)) return ' at a data-dependent index';
  const shape = (name: string): string => `[${p.buffers.get(name)!.shape.join(', ')}]`;
  if (shape(memlet.buffer) !== shape(writer.write.buffer)) return ` as shape ${shape(memlet.buffer)}, written as ${shape(writer.write.buffer)}`;
  const written = rowPart(writer.write.index, writer, layout);
  const read = rowPart(memlet.index, reader, layout);
  if (typeof written === 'string') return `, whose write index ${written}`;
  if (typeof read === 'string') return ` at an index that ${read}`;
  const same = written.canonical.every((e, c) => (e === null ? read.canonical[c] === null : read.canonical[c] !== null && sameExpr(e, read.canonical[c]!)));
  if (!same) return ` at another row: [${memlet.index.map((e) => printExpr(e)).join(', ')}], written at [${writer.write.index.map((e) => printExpr(e)).join(', ')}]`;
  const rows = rowDimsOf(writer, layout);
  const inverse = invertIndex(written.components, rows);
  return typeof inverse === 'string' ? `, whose rows share elements (its write index: ${inverse})` : null;
}

/**
 * The components of `index` that depend on row dims, with the row dims renamed to their position
 * (so that two maps' indices compare), null for the others; or why a component mixes both kinds.
 */
function rowPart(index: readonly Expr[], m: MapOp, layout: RowLayout): { canonical: (Expr | null)[]; components: Expr[] } | string {
  const rows = rowDimsOf(m, layout).map((d) => d.name);
  const canonical: (Expr | null)[] = [];
  const components: Expr[] = [];
  for (const [c, e] of pinUnitDims(index, m.dims).entries()) {
    const vars = [...varsOf(e)];
    const inRow = vars.filter((name) => rows.includes(name));
    if (inRow.length === 0) { canonical.push(null); continue; }
    if (inRow.length < vars.length) return `mixes row and inner dims in component ${c} (${printExpr(e)})`;
    canonical.push(substitute(e, { vars: (name) => v(`row${rows.indexOf(name)}`) }));
    components.push(e);
  }
  return { canonical, components };
}
