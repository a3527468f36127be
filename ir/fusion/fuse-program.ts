// The default fusion plan: the two vertical fusions applied greedily, in program order, until
// none applies. Epilogues go first, so that a reduction absorbs the elementwise chain after it
// (computed once) before inlining spreads that chain into several readers; then every parallel
// map whose readers all accept it is inlined into them, so that it and its buffer disappear
// (inlining into some readers only would keep the map and recompute its body as well). Inlining
// can leave a reduction with a single reader, so the two alternate to a fixed point. Last, adjacent
// kernels that can run row by row and are worth it (row-fusion.ts: whole-row reductions, as in a
// decomposed LayerNorm) merge into one row kernel.

import type { Program } from '../program.js';
import { dataflow } from './dataflow.js';
import { graphOrder } from './edit-program.js';
import { checkEpilogue, fuseEpilogue } from './epilogue.js';
import type { FusionOptions, FusionSite } from './fusion-site.js';
import { checkInline, inlineProducer } from './inline.js';
import { isReduction, mapMapping, readMapping, type MappingType } from './mapping-type.js';
import { fuseRows, rowRuns, rowSites } from './row-fusion.js';

export type FusionKind = 'inline' | 'epilogue' | 'row';

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
    const read = consumer.reads.findIndex((r) => flow.rootOf(r.buffer) === flow.rootOf(producer.write.buffer));
    const mapping = [mapMapping(p, producer), readMapping(consumer, read)] as const;
    const apply = { inline: inlineProducer, epilogue: fuseEpilogue, row: fuseRows }[kind];
    p = apply(p, site, settings);
    const kernel = p.kernels.find((k) => k.id === (kind === 'row' ? site.producer : site.consumer).kernel)!;
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
  p = rowPass(p, settings, (_, site) => {
    fuse('row', site);
    return p;
  });
  return { program: p, decisions };
}

/** The default plan's last pass alone: runs of adjacent kernels merged into row kernels where legal and worth it. */
export function fuseRowKernels(program: Program, options: FusionOptions = {}): Program {
  const settings: FusionOptions = { ...options, order: options.order ?? graphOrder(program) };
  return rowPass(program, settings, (p, site) => fuseRows(p, site, settings));
}

/** Merges each row run (row-fusion.ts rowRuns) kernel by kernel into its first kernel, through `merge`. */
function rowPass(program: Program, options: FusionOptions, merge: (p: Program, site: FusionSite) => Program): Program {
  let p = program;
  for (const [first, end] of rowRuns(program, options)) {
    const id = program.kernels[first].id;
    for (const next of program.kernels.slice(first + 1, end)) {
      p = merge(p, rowSites(p).find((s) => s.producer.kernel === id && s.consumer.kernel === next.id)!);
    }
  }
  return p;
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
