// The default fusion plan: the two vertical fusions applied greedily, in program order, until
// none applies. Epilogues go first, so that a reduction absorbs the elementwise chain after it
// (computed once) before inlining spreads that chain into several readers; then every parallel
// map whose readers all accept it is inlined into them, so that it and its buffer disappear
// (inlining into some readers only would keep the map and recompute its body as well). Inlining
// can leave a reduction with a single reader, so the two alternate to a fixed point.

import type { Program } from '../program.js';
import { dataflow } from './dataflow.js';
import { graphOrder } from './edit-program.js';
import { checkEpilogue, fuseEpilogue } from './epilogue.js';
import type { FusionOptions, FusionSite } from './fusion-site.js';
import { checkInline, inlineProducer } from './inline.js';
import { isReduction, mapMapping, readMapping, type MappingType } from './mapping-type.js';

export type FusionKind = 'inline' | 'epilogue';

/** One applied fusion: the kernel that holds the result and the graph nodes it now computes. */
export interface FusionDecision {
  readonly kernel: string;
  readonly ops: readonly string[];
  readonly kind: FusionKind;
  /** The producer's mapping type, and how the consumer read it. */
  readonly mapping: readonly [MappingType, MappingType];
}

export interface FusedProgram {
  readonly program: Program;
  readonly decisions: readonly FusionDecision[];
}

export function fuseProgram(program: Program, options: FusionOptions = {}): FusedProgram {
  const settings: FusionOptions = { ...options, order: options.order ?? graphOrder(program) };
  let p = program;
  const decisions: FusionDecision[] = [];
  const fuse = (kind: FusionKind, site: FusionSite): void => {
    const flow = dataflow(p);
    const producer = flow.find(site.producer)!.m;
    const consumer = flow.find(site.consumer)!.m;
    const read = consumer.reads.findIndex((r) => flow.rootOf(r.buffer) === producer.write.buffer);
    const mapping = [mapMapping(p, producer), readMapping(consumer, read)] as const;
    p = kind === 'inline' ? inlineProducer(p, site, settings) : fuseEpilogue(p, site, settings);
    const kernel = p.kernels.find((k) => k.id === site.consumer.kernel)!;
    decisions.push({ kernel: kernel.id, ops: kernel.ops, kind, mapping });
  };
  for (let changed = true; changed;) {
    changed = false;
    // A fusion removes the map at position i, so the next candidate is then at i.
    for (let i = 0; i < dataflow(p).maps.length;) {
      const site = epilogueAt(p, i, settings);
      if (site) { fuse('epilogue', site); changed = true; } else i++;
    }
    for (let i = 0; i < dataflow(p).maps.length;) {
      const sites = inlineAt(p, i, settings);
      if (!sites) { i++; continue; }
      // Each step keeps the producer until its last reader has inlined it.
      for (const site of sites) fuse('inline', site);
      changed = true;
    }
  }
  return { program: p, decisions };
}

/** The reduction at position `i` and its only reader, when that reader fuses as its epilogue. */
function epilogueAt(p: Program, i: number, options: FusionOptions): FusionSite | undefined {
  const flow = dataflow(p);
  const producer = flow.maps[i];
  if (!isReduction(producer.m)) return undefined;
  const readers = flow.readers(flow.rootOf(producer.m.write.buffer));
  if (readers.length !== 1) return undefined;
  const site = { producer: producer.ref, consumer: readers[0].ref };
  return checkEpilogue(p, site, options) === null ? site : undefined;
}

/** The parallel map at position `i` and all its readers, when every one of them can inline it. */
function inlineAt(p: Program, i: number, options: FusionOptions): FusionSite[] | undefined {
  const flow = dataflow(p);
  const producer = flow.maps[i];
  if (isReduction(producer.m)) return undefined;
  const readers = flow.readers(flow.rootOf(producer.m.write.buffer));
  if (readers.length === 0) return undefined;
  const sites = readers.map((c) => ({ producer: producer.ref, consumer: c.ref }));
  return sites.every((s) => checkInline(p, s, options) === null) ? sites : undefined;
}
