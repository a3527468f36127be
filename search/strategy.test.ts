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
    const parents = new Set([1, 2, undefined]);
    expect(later.every((s) => parents.has(s[0]?.p.size as number | undefined) || s.length === 1)).toBe(true);
  });
});
