// The level-1 step kinds of kernels/schedule.ts as data: which maps each applies to and the values
// its decisions take there. Adding a kind that kernels/schedule.ts learns is one entry here; the
// legality of a value is always kernels' own check (see schedule-transformation.ts).

import { affine } from '../ir/expr.js';
import type { Dim, MapOp } from '../ir/program.js';
import { REGISTER_BLOCK_SIZES, UNROLL_FACTORS, type ScheduleTarget } from '../kernels/schedule.js';
import type { Params } from './transformation.js';

export interface StepKind {
  /** The step's `t` in kernels/schedule.ts. */
  readonly t: string;
  /**
   * The decision that tells steps of this kind at one map apart (register blocks per dim): a step
   * replaces the one with the same value of it. Absent: one step of the kind per map.
   */
  readonly key?: string;
  applies(m: MapOp): boolean;
  /** The values at map `m`; one that removes the step's effect comes first where there is one. */
  space(m: MapOp, target: ScheduleTarget): readonly Params[];
}

/** Invocations of a workgroup along one tiled dim. */
export const TILE_SIZES: readonly number[] = [2, 4, 8, 16];

/** Reduction steps staged in workgroup memory at once. */
export const STAGE_CHUNKS: readonly number[] = [4, 8, 16, 32];

/** Reduction strategies kernels/schedule.ts supports. */
export const REDUCTION_STRATEGIES: readonly string[] = ['serial', 'workgroup-tree', 'subgroup'];

const parallel = (m: MapOp): Dim[] => m.dims.filter((d) => !d.reduce);
const reduce = (m: MapOp): Dim[] => m.dims.filter((d) => d.reduce);

export const STEP_KINDS: readonly StepKind[] = [
  {
    t: 'reduction',
    applies: (m) => m.write.wcr !== undefined,
    space: () => REDUCTION_STRATEGIES.map((strategy) => ({ strategy })),
  },
  {
    t: 'workgroup-size',
    applies: () => true,
    space: (_m, target) => powersOfTwo(target.maxInvocations).map((size) => ({ size })),
  },
  {
    t: 'register-block',
    key: 'dim',
    applies: (m) => m.write.wcr !== undefined && parallel(m).some((d) => d.extent > 1),
    // Size 1 removes the block; blocks longer than the dim only add idle accumulators.
    space: (m) => parallel(m).filter((d) => d.extent > 1)
      .flatMap((d) => [1, ...REGISTER_BLOCK_SIZES.filter((n) => n <= d.extent)].map((size) => ({ dim: d.name, size }))),
  },
  {
    t: 'unroll',
    key: 'dim',
    applies: (m) => reduce(m).some((d) => d.extent > 1),
    space: (m) => reduce(m).filter((d) => d.extent > 1)
      .flatMap((d) => [1, ...UNROLL_FACTORS.filter((n) => n <= d.extent)].map((factor) => ({ dim: d.name, factor }))),
  },
  {
    t: 'reorder',
    applies: (m) => parallel(m).length > 1 || reduce(m).length > 1,
    space: (m) => [{ order: null }, ...oneDimMoves(m).map((order) => ({ order }))],
  },
  {
    t: 'tile',
    key: 'dim',
    // Workgroup tiles of register-block tiles (codegen/tiled-reduction.ts): serial reductions only.
    applies: (m) => m.write.wcr !== undefined && parallel(m).some((d) => d.extent > 1),
    space: (m, target) => parallel(m).filter((d) => d.extent > 1)
      .flatMap((d) => [1, ...TILE_SIZES.filter((n) => n <= d.extent && n <= target.maxInvocations)].map((size) => ({ dim: d.name, size }))),
  },
  {
    t: 'stage',
    key: 'read',
    // A read of the reduction body staged in workgroup memory, `k` reduction steps at a time (needs tiles).
    applies: (m) => m.write.wcr !== undefined && reduce(m).length > 0 && m.reads.length > 0,
    space: (m) => m.reads.flatMap((_, read) => [null, ...STAGE_CHUNKS].map((k) => ({ read, k }))),
  },
  {
    t: 'vectorize',
    key: 'access',
    applies: (m) => vec4Candidates(m).length > 0,
    space: (m) => {
      const candidates = vec4Candidates(m);
      const accesses = [...new Set(candidates.map((c) => c.access))];
      return [...accesses.map((access) => ({ access, dim: null })), ...candidates];
    },
  },
];

export function stepKind(t: string): StepKind | undefined {
  return STEP_KINDS.find((k) => k.t === t);
}

function powersOfTwo(max: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= max; n *= 2) out.push(n);
  return out;
}

/**
 * The orders that move one dim to another place among the dims of its kind (the space of all
 * permutations grows factorially; one move at a time reaches any of them by mutation).
 */
function oneDimMoves(m: MapOp): string[][] {
  const names = m.dims.map((d) => d.name);
  const seen = new Set([names.join(',')]);
  const out: string[][] = [];
  for (const kind of [parallel(m), reduce(m)]) {
    const places = kind.map((d) => names.indexOf(d.name));
    for (const [from, name] of kind.map((d) => d.name).entries()) {
      for (let to = 0; to < kind.length; to++) {
        const moved = kind.map((d) => d.name).filter((x) => x !== name);
        moved.splice(to, 0, name);
        const order = [...names];
        places.forEach((place, i) => { order[place] = moved[i]; });
        if (to !== from && !seen.has(order.join(','))) {
          seen.add(order.join(','));
          out.push(order);
        }
      }
    }
  }
  return out;
}

/** Accesses and dims where consecutive values of the dim are neighbours in the innermost buffer dim. */
function vec4Candidates(m: MapOp): { access: number | 'write'; dim: string }[] {
  const accesses = [...m.reads.map((r, i) => [i, r.index] as const), ['write', m.write.index] as const];
  return accesses.flatMap(([access, index]) => {
    const last = index.length ? affine(index[index.length - 1]) : null;
    return m.dims.filter((d) => d.extent > 1 && last?.coef[d.name] === 1).map((d) => ({ access, dim: d.name }));
  });
}
