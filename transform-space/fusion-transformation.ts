// Level 2: vertical fusion (ir/fusion) as one Transformation whose site is an intermediate buffer
// to fuse away. A reduction's buffer fuses into its only reader as an epilogue; a parallel map's
// buffer is inlined into every reader, so that the map and the buffer disappear (inlining into
// some readers only would recompute the body and still store it). Unfusion is leaving a buffer
// out of a candidate's fusion decisions (see candidate.ts). The schedule keeps the steps of the
// kernels the fusion leaves as they were; the fused kernels start again from their defaults.

import { FreightError } from '../ir/errors.js';
import { checkEpilogue, checkInline, dataflow, fuseEpilogue, inlineProducer, isReduction, type FusionOptions, type FusionSite } from '../ir/fusion/index.js';
import type { Program } from '../ir/program.js';
import type { Schedule } from '../kernels/schedule.js';
import { kernelOf } from './schedule-transformation.js';
import type { Transformation } from './transformation.js';

export const FUSE: Transformation<Readonly<Record<string, never>>> = {
  name: 'fuse',
  level: 2,
  sites: (x) => fusionSites(x.program),
  space: () => [{}],
  check: (x, buffer) => checkFusion(x.program, buffer, x.fusion),
  apply: (x, buffer) => {
    const program = fuse(x.program, buffer, x.fusion);
    return { ...x, program, schedule: keepUnchanged(x.program, program, x.schedule) };
  },
  step: (buffer) => ({ t: 'fuse', at: buffer, p: {} }),
};

/** Storage buffers written by one map and read after it (legality unchecked), in program order. */
export function fusionSites(p: Program): string[] {
  const flow = dataflow(p);
  return flow.maps.map((x) => flow.rootOf(x.m.write.buffer)).filter((root, i, all) => all.indexOf(root) === i
    && flow.writers(root).length === 1 && flow.readers(root).some((r) => r.at > flow.writers(root)[0].at));
}

/** The program with `buffer` fused away; throws a FreightError where the fusion is illegal. */
export function fuse(p: Program, buffer: string, options: FusionOptions): Program {
  const plan = planFusion(p, buffer, options);
  if (typeof plan === 'string') throw new FreightError(`cannot fuse away '${buffer}': ${plan}`);
  // An inlined producer stays until its last reader has inlined it, so the sites stay valid.
  return plan.sites.reduce((q, s) => (plan.epilogue ? fuseEpilogue(q, s, options) : inlineProducer(q, s, options)), p);
}

/** Null when `buffer` can be fused away, else the reason. */
export function checkFusion(p: Program, buffer: string, options: FusionOptions): string | null {
  const plan = planFusion(p, buffer, options);
  return typeof plan === 'string' ? plan : null;
}

function planFusion(p: Program, buffer: string, options: FusionOptions): { epilogue: boolean; sites: FusionSite[] } | string {
  if (!p.buffers.has(buffer)) return `the program has no buffer '${buffer}'`;
  const flow = dataflow(p);
  const root = flow.rootOf(buffer);
  const writers = flow.writers(root);
  if (writers.length !== 1) return `'${root}' is written by ${writers.length} maps, not one`;
  const producer = writers[0];
  const sites = flow.readers(root).map((c) => ({ producer: producer.ref, consumer: c.ref }));
  if (sites.length === 0) return `nothing reads '${root}'`;
  const epilogue = isReduction(producer.m);
  if (epilogue && sites.length > 1) return `'${root}' is a reduction's result read by ${sites.length} maps; an epilogue fuses into one reader`;
  for (const s of sites) {
    const why = epilogue ? checkEpilogue(p, s, options) : checkInline(p, s, options);
    if (why) return why;
  }
  return { epilogue, sites };
}

/** The steps of `schedule` at kernels whose maps are the same in `after` as in `before`. */
export function keepUnchanged(before: Program, after: Program, schedule: Schedule): Schedule {
  return { v: 1, steps: schedule.steps.filter((s) => sameKernel(before, after, kernelOf(s.at))) };
}

const kernelText = new WeakMap<Program, Map<string, string>>();

/** Whether kernel `id` exists in both programs with the same maps (a schedule of it fits both). */
export function sameKernel(a: Program, b: Program, id: string): boolean {
  const text = (p: Program): string | undefined => {
    let texts = kernelText.get(p);
    if (!texts) kernelText.set(p, texts = new Map(p.kernels.map((k) => [k.id, JSON.stringify(k.maps)])));
    return texts.get(id);
  };
  const t = text(a);
  return t !== undefined && t === text(b);
}
