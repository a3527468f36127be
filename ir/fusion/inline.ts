// Vertical fusion by inlining: a parallel producer map (no reduction) is substituted into a
// consumer that reads its buffer. At each read, the producer's point is found by inverting its
// write index at the consumer's read index; the producer's body, with its reads re-indexed
// through that point, replaces the read. Any consumer index works (one-to-one, broadcast,
// transpose, a reduction's window) as long as recomputing the body at every read stays cheaper
// than storing it once. When the last reader inlines it, the producer and its buffer disappear.

import { FreightError } from '../errors.js';
import { readsOf, type Expr } from '../expr.js';
import type { Program } from '../program.js';
import { mapFlops } from '../stats.js';
import { applyEdit, graphOrder, type FusionEdit } from './edit-program.js';
import { checkFusedMap, DEFAULT_MAX_RECOMPUTE_OPS, formatSite, locate, producerSites, type FusionOptions, type FusionSite, type Located } from './fusion-site.js';
import { invertIndex, pinUnitDims, pointCount, viewIndex } from './index-algebra.js';
import { isReduction } from './mapping-type.js';
import { appendReads, compactReads, stored, substitute } from './rewrite.js';

/** Every producer/consumer pair inlining could apply to (legality unchecked), in program order. */
export const inlineSites = (p: Program): FusionSite[] => producerSites(p, (m) => !isReduction(m));

/** Why the producer cannot be inlined into the consumer, or null. */
export function checkInline(p: Program, site: FusionSite, options: FusionOptions = {}): string | null {
  const planned = planInline(p, site, options);
  return typeof planned === 'string' ? planned : null;
}

/** The program with the producer inlined into the consumer; throws when `checkInline` refuses. */
export function inlineProducer(p: Program, site: FusionSite, options: FusionOptions = {}): Program {
  const planned = planInline(p, site, options);
  if (typeof planned === 'string') throw new FreightError(`cannot inline ${formatSite(site)}: ${planned}`);
  return applyEdit(p, planned, options.order ?? graphOrder(p));
}

function planInline(p: Program, site: FusionSite, options: FusionOptions): FusionEdit | string {
  const at = locate(p, site);
  if (typeof at === 'string') return at;
  const { flow, producer, consumer, buffer } = at;
  if (isReduction(producer.m)) return 'the producer is a reduction (many-to-many): fuse it as an epilogue instead';
  const inverse = invertIndex(producer.m.write.index, producer.m.dims);
  if (typeof inverse === 'string') return `the producer's write index cannot be inverted: ${inverse}`;
  const tooCostly = recomputeCost(at, options);
  if (tooCostly) return tooCostly;

  const P = producer.m;
  const C = consumer.m;
  const target = p.buffers.get(buffer)!;
  const reads = [...C.reads];
  const values = new Map<number, Expr>();
  for (const r of at.reads) {
    const memlet = C.reads[r];
    const point = inverse(viewIndex(pinUnitDims(memlet.index, C.dims), p.buffers.get(memlet.buffer)!.shape, target.shape));
    const vars = (name: string): Expr | undefined => point.get(name);
    const landed = appendReads(reads, P.reads.map((x) => ({ ...x, index: x.index.map((e) => substitute(e, { vars })) })));
    const body = substitute(P.body, { vars, reads: (m) => ({ k: 'read', m: landed[m] }) });
    values.set(r, stored(body, target.dtype, (m) => p.buffers.get(reads[m].buffer)!.dtype));
  }
  const replace = { reads: (m: number): Expr | undefined => values.get(m) };
  const fused = compactReads({
    ...C,
    reads,
    body: substitute(C.body, replace),
    ...(C.epilogue ? { epilogue: substitute(C.epilogue, replace) } : {}),
  });
  const tooBig = checkFusedMap(flow, fused, options);
  if (tooBig) return tooBig;
  const last = flow.readers(buffer).length === 1;
  return { consumer: consumer.ref, fused, producer: producer.ref, ...(last ? { removeProducer: { dead: buffer } } : {}) };
}

/**
 * Why recomputing the producer's body at every read costs too much, or null: a consumer that
 * reads each element once (or less) never pays; one that reads elements several times pays the
 * body at each read, acceptable for a small body in a parallel map, never in a reduction's
 * inner loop (an elementwise producer feeding a convolution or a matmul) unless it is a copy.
 */
function recomputeCost(at: Located, options: FusionOptions): string | null {
  const { producer: { m: P }, consumer: { m: C }, buffer } = at;
  const reduces = C.dims.some((d) => d.reduce);
  const inBody = (r: number): boolean => readsOf(C.body).has(r);
  const parallel = pointCount(C.dims.filter((d) => !d.reduce));
  const readCount = at.reads.reduce((n, r) => n + (inBody(r) ? pointCount(C.dims) : parallel), 0);
  const reuse = readCount / Math.max(1, pointCount(P.dims));
  // A parallel map's FLOPs per point: the arithmetic of its body.
  const ops = mapFlops(P) / Math.max(1, pointCount(P.dims));
  if (reuse <= 1 || ops === 0) return null;
  const times = Number.isInteger(reuse) ? String(reuse) : reuse.toFixed(1);
  if (reduces && at.reads.some(inBody)) {
    return `the consumer's reduction reads each element of '${buffer}' ${times} times; recomputing its ${ops}-op body at every read costs more than storing it`;
  }
  const limit = options.maxRecomputeOps ?? DEFAULT_MAX_RECOMPUTE_OPS;
  if (ops > limit) return `the consumer reads each element of '${buffer}' ${times} times; its ${ops}-op body is too costly to recompute at every read (limit ${limit})`;
  return null;
}
