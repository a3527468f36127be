// What both vertical fusions share: a site (a producer map and a consumer map that reads what it
// writes), the options, and the conditions that hold for either — the producer's buffer is an
// intermediate written by that map alone, the consumer reads it plainly, and moving the
// producer's computation to the consumer's place reads the same values.

import { readsOf } from '../expr.js';
import type { MapOp, Program } from '../program.js';
import { bindingCount, dataflow, formatRef, overwriter, readsOfRoot, type Dataflow, type MapRef, type PlacedMap } from './dataflow.js';
import type { OpOrder } from './edit-program.js';
import { exprSize } from './rewrite.js';

/** A producer map and a consumer map that reads the buffer it writes. */
export interface FusionSite {
  readonly producer: MapRef;
  readonly consumer: MapRef;
}

export const formatSite = (s: FusionSite): string => `${formatRef(s.producer)} → ${formatRef(s.consumer)}`;

export interface FusionOptions {
  /** Storage buffers one fused map may bind: WebGPU guarantees 8 per shader stage. */
  readonly maxBindings?: number;
  /**
   * The largest producer body (arithmetic operations) worth recomputing at every read when a
   * consumer reads each of its elements several times (a broadcast).
   */
  readonly maxRecomputeOps?: number;
  /**
   * The most expression nodes (body, epilogue and indices) a fused map may hold: a value read
   * twice is spelled out twice, so chains that reuse values could otherwise grow exponentially.
   */
  readonly maxExprNodes?: number;
  /** Graph order of the nodes, for the fused kernels' `ops` (default: graphOrder of the program). */
  readonly order?: OpOrder;
}

export const DEFAULT_MAX_BINDINGS = 8;
export const DEFAULT_MAX_RECOMPUTE_OPS = 16;
export const DEFAULT_MAX_EXPR_NODES = 1024;

/** A site whose shared conditions hold. */
export interface Located {
  readonly flow: Dataflow;
  readonly producer: PlacedMap;
  readonly consumer: PlacedMap;
  /** The producer's buffer (a storage root). */
  readonly buffer: string;
  /** The consumer's memlets that read it. */
  readonly reads: readonly number[];
}

/** Each map `isProducer` accepts, paired with every later reader of its buffer, in program order. */
export function producerSites(p: Program, isProducer: (m: MapOp) => boolean): FusionSite[] {
  const flow = dataflow(p);
  return flow.maps.filter((x) => isProducer(x.m)).flatMap((producer) => flow.readers(flow.rootOf(producer.m.write.buffer))
    .filter((c) => c.at > producer.at)
    .map((c) => ({ producer: producer.ref, consumer: c.ref })));
}

/** The site with the conditions both fusions need checked, or the reason one fails. */
export function locate(p: Program, site: FusionSite): Located | string {
  const flow = dataflow(p);
  const producer = flow.find(site.producer);
  const consumer = flow.find(site.consumer);
  if (!producer) return `there is no map ${formatRef(site.producer)}`;
  if (!consumer) return `there is no map ${formatRef(site.consumer)}`;
  if (consumer.at <= producer.at) return `the consumer ${formatRef(site.consumer)} does not run after the producer ${formatRef(site.producer)}`;
  const name = producer.m.write.buffer;
  const b = p.buffers.get(name)!;
  if (b.aliasOf) return `the producer writes '${name}' through an alias of '${flow.rootOf(name)}'`;
  if (b.kind !== 'intermediate' && b.kind !== 'transient') return `'${name}' is a graph ${b.kind}, which must stay in memory`;
  const writers = flow.writers(name);
  if (writers.length > 1) return `'${name}' is written by ${writers.length} maps (${writers.map((w) => formatRef(w.ref)).join(', ')})`;
  if (readsOfRoot(flow, producer.m, name).length > 0) return `the producer reads '${name}', which it writes`;
  const reads = readsOfRoot(flow, consumer.m, name);
  if (reads.length === 0) return `the consumer ${formatRef(site.consumer)} does not read '${name}'`;
  for (const r of reads) {
    const memlet = consumer.m.reads[r];
    if (memlet.pad !== undefined) return `the consumer reads '${name}' through a padded (guarded) memlet`;
    if (memlet.index.some((e) => readsOf(e).size > 0)) return `the consumer reads '${name}' at a data-dependent index`;
  }
  if (consumer.m.reads.some((x) => x.index.some((e) => reads.some((r) => readsOf(e).has(r))))) {
    return `the consumer uses '${name}' as an index of another read`;
  }
  // The producer's computation moves to the consumer's place: its inputs must not change between.
  const inputs = new Set(producer.m.reads.map((r) => flow.rootOf(r.buffer)));
  const moved = overwriter(flow, producer.at, consumer.at, inputs);
  if (moved) return `${formatRef(moved.ref)} overwrites '${flow.rootOf(moved.m.write.buffer)}', which the producer reads, before the consumer runs`;
  return { flow, producer, consumer, buffer: name, reads };
}

/** Why the fused map is too big for one shader (storage buffers, expression size), or null. */
export function checkFusedMap(flow: Dataflow, fused: MapOp, options: FusionOptions): string | null {
  const bindings = options.maxBindings ?? DEFAULT_MAX_BINDINGS;
  const n = bindingCount(flow, fused);
  if (n > bindings) return `the fused map would bind ${n} storage buffers; the limit is ${bindings}`;
  const nodes = options.maxExprNodes ?? DEFAULT_MAX_EXPR_NODES;
  const size = [fused.body, ...(fused.epilogue ? [fused.epilogue] : []), ...fused.reads.flatMap((r) => r.index)]
    .reduce((total, e) => total + exprSize(e), 0);
  return size > nodes ? `the fused map would hold ${size} expression nodes; the limit is ${nodes}` : null;
}
