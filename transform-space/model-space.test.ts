// The space of a model: enumeration of a small one yields distinct legal points within its count;
// the default candidate is ir/fusion's plan; on zoo models seeded samples, chained mutations and
// their crossovers all materialize and resolve, and the same seed gives the same samples. (Sampling
// replays fusion plans and costs ~200 ms a candidate on the bigger models, hence the counts.)

import { describe, expect, it } from 'vitest';
import { ZOO } from '../bench/zoo/index.js';
import { fuseProgram } from '../ir/fusion/index.js';
import { lowerGraph } from '../ir/lower/lower.js';
import { importOnnx } from '../ir/onnx/index.js';
import { resolveGraph } from '../ir/resolve.js';
import { rng } from '../ir/testing/random.js';
import { DEFAULT_TARGET, resolveSchedule, type ScheduleTarget } from '../kernels/schedule.js';
import type { Candidate } from './candidate.js';
import { modelSpace, type ModelSpace } from './model-space.js';
import { gemmBiasRelu } from './test-programs.js';

/** Resolves the candidate's materialized schedule, as the plan compiler would. */
const expectResolves = (space: ModelSpace, c: Candidate, target?: ScheduleTarget): void => {
  const m = space.materialize(c);
  expect(() => resolveSchedule(m.program, m.schedule, target), JSON.stringify(c.schedule)).not.toThrow();
};

describe('model space of a small program', () => {
  // A tiny device limit keeps the exhaustive enumeration short.
  const target: ScheduleTarget = { ...DEFAULT_TARGET, maxInvocations: 4, concurrency: 16, workgroupsAtOnce: 4, simdWidth: 4 };
  const space = modelSpace(gemmBiasRelu(2, 2, 2), { target });

  it('fuses the whole chain by default', () => {
    expect(space.initial.fusion.map((s) => s.at)).toEqual(['t', 'u']);
    expect(space.materialize(space.initial).program.kernels.map((k) => k.ops)).toEqual([['matmul', 'bias', 'relu']]);
  });

  it('enumerates distinct legal points, no more than its count', () => {
    const unfused = space.count([]);
    expect(unfused).toBe(BigInt(space.variables([]).reduce((n, v) => n * (v.values.length + 1), 1)));
    const all: Candidate[] = [];
    for (const c of space.enumerate([])) {
      all.push(c);
      if (all.length === 300) break;
    }
    expect(new Set(all.map((c) => JSON.stringify(c.schedule))).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(100);
    expect(BigInt(all.length)).toBeLessThanOrEqual(unfused);
    for (const c of all) expectResolves(space, c, target);
  });
});

describe('sampling is seeded', () => {
  const space = modelSpace(gemmBiasRelu(8, 8, 16));
  it('gives the same candidates for the same seed and others for another', () => {
    const draw = (seed: number): Candidate[] => {
      const r = rng(seed);
      return Array.from({ length: 20 }, () => space.sample(r));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });
});

const MODELS = ['resnet', 'mobilenet-v3-small', 'bert-layer'];
const SAMPLES = 30;

describe.each(ZOO.filter((m) => MODELS.includes(m.name)).map((m) => [m.name, m] as const))('model space: %s (small)', (name, model) => {
  it('starts from the default fusion plan; samples, mutations and crossovers all resolve', () => {
    const lowered = lowerGraph(resolveGraph(importOnnx(model.build('small')), { shapes: model.inputs('small') }));
    const space = modelSpace(lowered);
    // The same kernels with the same nodes (a replayed plan may list a fused map's reads in another order).
    const shape = (p: { kernels: readonly { id: string; ops: readonly string[]; maps: readonly unknown[] }[] }) => p.kernels.map((k) => [k.id, k.ops, k.maps.length]);
    expect(shape(space.materialize(space.initial).program)).toEqual(shape(fuseProgram(lowered).program));
    const r = rng(`${name}:space`);
    const start = performance.now();
    const samples = Array.from({ length: SAMPLES }, () => space.sample(r));
    const sampled = performance.now();
    for (const c of samples) expectResolves(space, c);
    let c = space.initial;
    const fusions = new Set<number>();
    for (let i = 0; i < SAMPLES; i++) {
      c = space.mutate(c, r);
      fusions.add(c.fusion.length);
      expectResolves(space, c);
    }
    const mutated = performance.now();
    for (let i = 0; i < SAMPLES / 2; i++) expectResolves(space, space.crossover(samples[i], samples[SAMPLES - 1 - i], r));
    console.log(`${name}: ${SAMPLES} samples ${(sampled - start).toFixed(0)} ms, ${SAMPLES} mutations ${(mutated - sampled).toFixed(0)} ms; `
      + `fusion plans of ${Math.min(...fusions)}–${Math.max(...fusions)} decisions while mutating; count ${space.count().toString().length} digits`);
    expect(fusions.size).toBeGreaterThan(1);
    expect(new Set(samples.map((s) => JSON.stringify(s))).size).toBeGreaterThan(SAMPLES - 3);
  }, 120_000);
});
