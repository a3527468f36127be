// Search strategies behind one small interface: each proposes schedules for one task (steps whose
// sites are relative to the task's kernel, see src/tuned.ts) and learns from the measured results.
// Proposals are built from transform-space's level-1 transformations, so every proposal is legal.
// All randomness comes from the seeded generator the tuner passes in: the same seed and the same
// observations give the same proposals.
//
//   random        independent samples: a few random transformations from the default schedule
//   greedy        one random transformation of the best schedule so far
//   beam          one random transformation of each of the best `width` schedules
//   evolutionary  a population of the best; children by crossover of two parents (the best of
//                 three picks each) and one or more mutations, the best kept (elitism), a few
//                 random immigrants

import type { ScheduleStep } from '../kernels/schedule.js';

export type Steps = readonly ScheduleStep[];
export type Rng = () => number;

export interface Observation {
  readonly steps: Steps;
  /** Measured median, or null for a failed candidate. */
  readonly ms: number | null;
}

/** How proposals are made legal: supplied by the tuner over transform-space. */
export interface Mutator {
  /** `steps` with one more random legal transformation (unchanged if none applies). */
  mutate(steps: Steps, rng: Rng): Steps;
  /** A legal mix of two schedules: each decision from one parent. */
  crossover(a: Steps, b: Steps, rng: Rng): Steps;
}

export interface Strategy {
  readonly name: StrategyName;
  /** Up to `count` new schedules for the task observed so far. */
  propose(observed: readonly Observation[], count: number, m: Mutator, rng: Rng): Steps[];
}

export const STRATEGY_NAMES = ['evolutionary', 'greedy', 'beam', 'random'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * Evolutionary search: parents are the best POPULATION schedules measured (elitism: the best are
 * never lost), each drawn as the best of three picks; a child is a crossover of two parents with
 * probability CROSSOVER, then mutated once and again with probability EXTRA_MUTATION each time
 * (steps that only pay together, e.g. a tile and its staging, can arrive in one child). IMMIGRANTS
 * of the proposals are fresh random samples, so that the population does not close in on one
 * schedule's neighbourhood. Chosen on bench/search-bench.ts (bench/results/search-swiftshader.md).
 */
const POPULATION = 8;
const CROSSOVER = 0.5;
const EXTRA_MUTATION = 0.5;
const IMMIGRANTS = 0.1;

const ranked = (observed: readonly Observation[]): Observation[] =>
  observed.filter((o) => o.ms !== null).sort((a, b) => a.ms! - b.ms!);
const best = (observed: readonly Observation[]): Steps => ranked(observed)[0]?.steps ?? [];

export const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = {
  random: {
    name: 'random',
    propose: (_o, count, m, rng) => Array.from({ length: count }, () => {
      let steps: Steps = [];
      const n = 1 + Math.floor(rng() * 3);
      for (let i = 0; i < n; i++) steps = m.mutate(steps, rng);
      return steps;
    }),
  },
  greedy: {
    name: 'greedy',
    propose: (o, count, m, rng) => Array.from({ length: count }, () => m.mutate(best(o), rng)),
  },
  beam: {
    name: 'beam',
    propose: (o, count, m, rng) => {
      const beam = ranked(o).slice(0, 4).map((x) => x.steps);
      const from = beam.length ? beam : [[]];
      return Array.from({ length: count }, (_, i) => m.mutate(from[i % from.length], rng));
    },
  },
  evolutionary: {
    name: 'evolutionary',
    propose: (o, count, m, rng) => {
      const population = ranked(o).slice(0, POPULATION).map((x) => x.steps);
      if (population.length < 2) return STRATEGIES.random.propose(o, count, m, rng);
      // The best of three picks: the best parent gets ~1/3 of the children of a population of 8.
      const draw = (): number => Math.floor(rng() * population.length);
      const parent = (): Steps => population[Math.min(draw(), draw(), draw())];
      return Array.from({ length: count }, () => {
        if (rng() < IMMIGRANTS) return STRATEGIES.random.propose(o, 1, m, rng)[0];
        let child = rng() < CROSSOVER ? m.crossover(parent(), parent(), rng) : parent();
        do child = m.mutate(child, rng); while (rng() < EXTRA_MUTATION);
        return child;
      });
    },
  },
};
