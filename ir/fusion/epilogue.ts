// Vertical fusion into a reduction's epilogue: a reduction map (Conv, MatMul, ReduceMean…) whose
// only reader is a parallel map reading each produced element exactly once (one-to-one, or a
// shuffle such as a transpose) takes that map's body as its epilogue, with `acc`'s final value
// where the body read the reduction's result. The consumer's dims are expressed in the
// reduction's parallel dims by inverting the consumer's read index at the reduction's write
// index; its other reads and its write are re-indexed through them, and the fused map writes the
// consumer's output where the consumer ran. Conv + BatchNormalization + HardSwish, or MatMul +
// bias Add + the decomposed GELU, become one map.

import { FreightError } from '../errors.js';
import { acc, type Expr } from '../expr.js';
import type { Program } from '../program.js';
import { formatRef } from './dataflow.js';
import { applyEdit, graphOrder, type FusionEdit } from './edit-program.js';
import { checkFusedMap, formatSite, locate, producerSites, type FusionOptions, type FusionSite } from './fusion-site.js';
import { invertIndex, pinUnitDims, pointCount, viewIndex } from './index-algebra.js';
import { isReduction, readMapping } from './mapping-type.js';
import { appendReads, compactReads, sameIndex, stored, substitute } from './rewrite.js';

/** Every reduction and each reader of its buffer (legality unchecked), in program order. */
export const epilogueSites = (p: Program): FusionSite[] => producerSites(p, isReduction);

/** Why the consumer cannot become the producer's epilogue, or null. */
export function checkEpilogue(p: Program, site: FusionSite, options: FusionOptions = {}): string | null {
  const planned = planEpilogue(p, site, options);
  return typeof planned === 'string' ? planned : null;
}

/** The program with the consumer fused into the producer's epilogue; throws when `checkEpilogue` refuses. */
export function fuseEpilogue(p: Program, site: FusionSite, options: FusionOptions = {}): Program {
  const planned = planEpilogue(p, site, options);
  if (typeof planned === 'string') throw new FreightError(`cannot fuse ${formatSite(site)} as an epilogue: ${planned}`);
  return applyEdit(p, planned, options.order ?? graphOrder(p));
}

function planEpilogue(p: Program, site: FusionSite, options: FusionOptions): FusionEdit | string {
  const at = locate(p, site);
  if (typeof at === 'string') return at;
  const { flow, producer, consumer, buffer } = at;
  const P = producer.m;
  const C = consumer.m;
  if (!isReduction(P)) return 'the producer is not a reduction: inline it instead';
  if (isReduction(C)) return 'the consumer is a reduction too (many-to-many)';
  const others = flow.readers(buffer).filter((x) => x !== consumer);
  if (others.length > 0) return `'${buffer}' has other readers (${others.map((x) => formatRef(x.ref)).join(', ')}), so the reduction must still write it`;
  const type = readMapping(C, at.reads[0]);
  if (type !== 'one-to-one' && type !== 'shuffle') return `the consumer reads '${buffer}' as ${type}; only one-to-one and shuffle reads fuse into an epilogue`;
  const memlet = C.reads[at.reads[0]];
  if (at.reads.some((r) => !sameIndex(C.reads[r].index, memlet.index))) return `the consumer reads '${buffer}' at several positions per point`;
  const parallel = P.dims.filter((d) => !d.reduce);
  if (pointCount(C.dims) !== pointCount(parallel)) {
    return `the consumer has ${pointCount(C.dims)} points and the reduction ${pointCount(parallel)}: it does not read each element exactly once`;
  }
  const written = invertIndex(P.write.index, parallel);
  if (typeof written === 'string') return `the reduction's write index cannot be inverted: ${written}`;
  const target = p.buffers.get(buffer)!;
  const read = viewIndex(pinUnitDims(memlet.index, C.dims), p.buffers.get(memlet.buffer)!.shape, target.shape);
  const inverse = invertIndex(read, C.dims);
  if (typeof inverse === 'string') return `the consumer's read of '${buffer}' cannot be inverted: ${inverse}`;

  // The consumer's point that reads the element the reduction writes at its point.
  const point = inverse(pinUnitDims(P.write.index, parallel));
  const vars = (name: string): Expr | undefined => point.get(name);
  const reads = [...P.reads];
  const landed = appendReads(reads, C.reads.map((x) => ({ ...x, index: x.index.map((e) => substitute(e, { vars })) })));
  const result = stored(P.epilogue ?? acc, target.dtype, (m) => p.buffers.get(reads[m].buffer)!.dtype);
  const fused = compactReads({
    dims: P.dims,
    reads,
    body: P.body,
    write: { buffer: C.write.buffer, index: C.write.index.map((e) => substitute(e, { vars })), wcr: P.write.wcr },
    epilogue: substitute(C.body, { vars, reads: (m) => (at.reads.includes(m) ? result : { k: 'read', m: landed[m] }) }),
  });
  const tooBig = checkFusedMap(flow, fused, options);
  if (tooBig) return tooBig;
  return { consumer: consumer.ref, fused, producer: producer.ref, removeProducer: { dead: buffer } };
}
