// The strategies over a stand-in mutator: the same seed and observations give the same proposals,
// greedy and beam grow from the best schedules, evolutionary mixes its population.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { ScheduleStep } from '../kernels/schedule.js';
import { STRATEGIES, STRATEGY_NAMES, type Mutator, type Observation, type Steps } from './strategy.js';

const step = (n: number): ScheduleStep => ({ t: 'workgroup-size', at: '@', p: { size: n } });
/** Appends a random step; crossover takes `a`'s first half and `b`'s second. */
const mutator: Mutator = {
  mutate: (steps, rng) => [...steps, step(Math.floor(rng() * 1000))],
  crossover: (a, b) => [...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.ceil(b.length / 2))],
};
const observed: Observation[] = [
  { steps: [], ms: 5 }, { steps: [step(1)], ms: 2 }, { steps: [step(2)], ms: 3 }, { steps: [step(3)], ms: null },
];

describe('search strategies', () => {
  it.each(STRATEGY_NAMES)('%s: the same seed gives the same proposals, another seed others', (name) => {
    const propose = (seed: string): Steps[] => STRATEGIES[name].propose(observed, 8, mutator, seedrandom(seed));
    expect(propose('a')).toEqual(propose('a'));
    expect(propose('a')).not.toEqual(propose('b'));
  });

  it('greedy mutates the best valid schedule; beam each of the best few', () => {
    const greedy = STRATEGIES.greedy.propose(observed, 4, mutator, seedrandom('g'));
    expect(greedy.every((s) => s[0].p.size === 1 && s.length === 2)).toBe(true);
    const beam = STRATEGIES.beam.propose(observed, 3, mutator, seedrandom('b'));
    expect(beam.map((s) => s.slice(0, -1))).toEqual([[step(1)], [step(2)], []]); // failed (null) never a parent
  });

  it('evolutionary starts like random and then breeds from its population', () => {
    const first = STRATEGIES.evolutionary.propose([], 4, mutator, seedrandom('e'));
    expect(first).toEqual(STRATEGIES.random.propose([], 4, mutator, seedrandom('e')));
    const later = STRATEGIES.evolutionary.propose(observed, 16, mutator, seedrandom('e'));
    expect(later.every((s) => s[0]?.p.size !== 3)).toBe(true); // failed (null) never a parent
  });

  it('evolutionary favours its best parents, mutates some children more than once, and takes in immigrants', () => {
    // Eight parents ranked 1 (best) to 8, behind them the default; the stand-in crossover of two
    // one-step parents gives the first, so every child starts with the step of a parent.
    const population: Observation[] = [{ steps: [], ms: 10 }, ...[8, 7, 6, 5, 4, 3, 2, 1].map((n) => ({ steps: [step(n)], ms: n })), { steps: [step(99)], ms: null }];
    const proposals = STRATEGIES.evolutionary.propose(population, 800, mutator, seedrandom('p'));
    const from = (n: number): Steps[] => proposals.filter((s) => s[0].p.size === n);
    expect(from(99)).toHaveLength(0);
    expect(from(1).length).toBeGreaterThan(2 * from(4).length);
    expect(from(4).length).toBeGreaterThan(4 * from(8).length);
    const children = proposals.filter((s) => (s[0].p.size as number) <= 8);
    const immigrants = proposals.length - children.length;
    expect(immigrants / proposals.length).toBeGreaterThan(0.05);
    expect(immigrants / proposals.length).toBeLessThan(0.15);
    const twice = children.filter((s) => s.length >= 3).length / children.length;
    expect(twice).toBeGreaterThan(0.4);
    expect(twice).toBeLessThan(0.6);
  });
});
