// ir/fusion: vertical fusion at the loop level (DNNFusion's level 2), Program → Program: inlining,
// epilogues, and row kernels (maps sharing their outer parallel dims, run row by row).
// `fuseProgram` is the default plan; the registry lists the single steps, each with the sites it
// could apply to, a side-effect-free `check` that says why a site is illegal, and a pure `apply`,
// so that a search can enumerate sites and try them (undoing is keeping the previous Program).

import type { Program } from '../program.js';
import { checkEpilogue, epilogueSites, fuseEpilogue } from './epilogue.js';
import type { FusionOptions, FusionSite } from './fusion-site.js';
import { checkInline, inlineProducer, inlineSites } from './inline.js';
import { checkRowFusion, fuseRows, rowSites } from './row-fusion.js';

export { dataflow, formatRef, type Dataflow, type MapRef, type PlacedMap } from './dataflow.js';
export { graphOrder, type OpOrder } from './edit-program.js';
export { checkEpilogue, epilogueSites, fuseEpilogue } from './epilogue.js';
export { fuseProgram, fuseRowKernels, type FusedProgram, type FusionDecision, type FusionKind } from './fuse-program.js';
export { DEFAULT_MAX_BINDINGS, DEFAULT_MAX_EXPR_NODES, DEFAULT_MAX_RECOMPUTE_OPS, formatSite, type FusionOptions, type FusionSite } from './fusion-site.js';
export { invertIndex, viewIndex } from './index-algebra.js';
export { checkInline, inlineProducer, inlineSites } from './inline.js';
export { isReduction, mapMapping, readMapping, type MappingType } from './mapping-type.js';
export { checkRowFusion, fuseRows, rowDimsOf, rowLayout, rowRuns, rowSites, rowsPay, type RowLayout } from './row-fusion.js';

export interface FusionStep {
  readonly name: 'inline' | 'epilogue' | 'row';
  sites(p: Program): readonly FusionSite[];
  check(p: Program, s: FusionSite, options?: FusionOptions): string | null;
  apply(p: Program, s: FusionSite, options?: FusionOptions): Program;
}

export const FUSION_STEPS: readonly FusionStep[] = [
  { name: 'inline', sites: inlineSites, check: checkInline, apply: inlineProducer },
  { name: 'epilogue', sites: epilogueSites, check: checkEpilogue, apply: fuseEpilogue },
  { name: 'row', sites: rowSites, check: checkRowFusion, apply: fuseRows },
];
