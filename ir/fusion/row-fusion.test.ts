// Row fusion on a hand-built LayerNorm (mean, standard deviation, normalize in three kernels, the
// last with dims of other names): the default plan merges them into one row kernel computing
// exactly what the three did; `check` refuses with its reason a read at another row, maps without
// common rows, rows that share an element, kernels that are not adjacent and the binding limit;
// and a GEMM before a row reduction is legal but left alone by the default plan.

import { describe, expect, it } from 'vitest';
import { acc, bin, c, read, sub, un, v } from '../expr.js';
import type { Expr } from '../expr.js';
import type { MapOp } from '../program.js';
import { fuseProgram } from './fuse-program.js';
import { FUSION_STEPS } from './index.js';
import { checkRowFusion, rowLayout, rowSites } from './row-fusion.js';
import { at, buffer, dims, expectSameResults, kernel, programOf } from './test-programs.js';

const mean: MapOp = {
  dims: dims({ i: 2, j: 3, d: 4 }, ['d']),
  reads: [{ buffer: 'x', index: at('i', 'j', 'd') }],
  body: read(0),
  write: { buffer: 'mean', index: [v('i'), v('j'), c(0)], wcr: 'sum' },
  epilogue: bin('div', acc, c(4)),
};
const std: MapOp = {
  dims: dims({ i: 2, j: 3, d: 4 }, ['d']),
  reads: [{ buffer: 'x', index: at('i', 'j', 'd') }, { buffer: 'mean', index: [v('i'), v('j'), c(0)] }],
  body: bin('mul', bin('sub', read(0), read(1)), bin('sub', read(0), read(1))),
  write: { buffer: 'std', index: [v('i'), v('j'), c(0)], wcr: 'sum' },
  epilogue: un('sqrt', bin('add', bin('div', acc, c(4)), c(1e-5))),
};
/** Normalize, reading the mean at `meanAt` (the same row by default). */
const normalize = (meanAt: Expr[] = [v('a'), v('b'), c(0)]): MapOp => ({
  dims: dims({ a: 2, b: 3, e: 4 }),
  reads: [{ buffer: 'x', index: at('a', 'b', 'e') }, { buffer: 'mean', index: meanAt }, { buffer: 'std', index: [v('a'), v('b'), c(0)] }],
  body: bin('div', bin('sub', read(0), read(1)), read(2)),
  write: { buffer: 'y', index: at('a', 'b', 'e') },
});
const layerNorm = (norm: MapOp = normalize(), first: MapOp = mean) => programOf(
  [buffer('x', [2, 3, 4], 'input'), buffer('mean', [2, 3, 1]), buffer('std', [2, 3, 1]), buffer('y', [2, 3, 4], 'output')],
  [kernel('k0', 'mean', first), kernel('k1', 'std', std), kernel('k2', 'norm', norm)],
);
const ref = (kernelId: string, map = 0) => ({ kernel: kernelId, map });

describe('row fusion', () => {
  it('merges a decomposed LayerNorm into one row kernel over its two outer dims, computing the same', () => {
    const p = layerNorm();
    const { program, decisions } = fuseProgram(p);
    expect(decisions).toEqual([
      { kernel: 'k0', ops: ['mean', 'std'], kind: 'row', mapping: ['many-to-many', 'many-to-many'] },
      { kernel: 'k0', ops: ['mean', 'std', 'norm'], kind: 'row', mapping: ['many-to-many', 'one-to-many'] },
    ]);
    expect(program.kernels.map((k) => [k.id, k.maps.length])).toEqual([['k0', 3]]);
    expect(rowLayout(program, program.kernels[0])).toEqual({ rowDims: 2, extents: [2, 3] });
    // Intermediates stay buffers, written and read inside the kernel.
    expect([...program.buffers.keys()]).toEqual(['x', 'mean', 'std', 'y']);
    expectSameResults(p, program);
  });

  it('is a registered fusion step whose sites are adjacent kernels with a dataflow edge', () => {
    const p = layerNorm();
    const row = FUSION_STEPS.find((s) => s.name === 'row')!;
    expect(row.sites(p)).toEqual([{ producer: ref('k0'), consumer: ref('k1') }, { producer: ref('k1'), consumer: ref('k2') }]);
    expect(row.check(p, rowSites(p)[0])).toBeNull();
    expect(row.apply(p, rowSites(p)[0]).kernels.map((k) => k.ops)).toEqual([['mean', 'std'], ['norm']]);
  });

  it('refuses, with the reason, a read of the producer at another row', () => {
    const p = layerNorm(normalize([sub(c(1), v('a')), v('b'), c(0)]));
    const merged = FUSION_STEPS.find((s) => s.name === 'row')!.apply(p, rowSites(p)[0]);
    expect(checkRowFusion(merged, { producer: ref('k0', 0), consumer: ref('k2') }))
      .toBe("m2 reads 'mean' of m0 at another row: [1 - a, b, 0], written at [i, j, 0]");
    // The mean stays apart; std and normalize (which reads std in its own row) still form a row kernel.
    expect(fuseProgram(p).program.kernels.map((k) => k.maps.length)).toEqual([1, 2]);
  });

  it('refuses maps without common row dims, rows that share an element, kernels apart, and too many bindings', () => {
    const p = layerNorm();
    const transposedMean: MapOp = { ...mean, dims: dims({ j: 3, i: 2, d: 4 }, ['d']) };
    expect(checkRowFusion(layerNorm(normalize(), transposedMean), { producer: ref('k0'), consumer: ref('k1') }))
      .toBe('the maps share no outer parallel dims (their parallel extents are [3, 2], [2, 3])');
    const perColumn: MapOp = { ...mean, write: { ...mean.write, index: [c(0), v('j'), c(0)] } };
    expect(checkRowFusion(layerNorm(normalize(), perColumn), { producer: ref('k0'), consumer: ref('k1') }))
      .toBe("m1 reads 'mean' of m0 at another row: [i, j, 0], written at [0, j, 0]");
    const shared: MapOp = { ...mean, dims: dims({ i: 2, j: 3, d: 4 }, ['d']), write: { ...mean.write, index: [c(0), v('j'), c(0)] } };
    const sharedRead: MapOp = { ...std, reads: [std.reads[0], { buffer: 'mean', index: [c(0), v('j'), c(0)] }] };
    const q = programOf([...p.buffers.values()], [kernel('k0', 'mean', shared), kernel('k1', 'std', sharedRead)]);
    expect(checkRowFusion(q, { producer: ref('k0'), consumer: ref('k1') }))
      .toBe("m1 reads 'mean' of m0, whose rows share elements (its write index: it does not depend on i, so 2 points share each element)");
    expect(checkRowFusion(p, { producer: ref('k0'), consumer: ref('k2') })).toBe('kernel k2 does not directly follow kernel k0');
    expect(checkRowFusion(p, { producer: ref('k1'), consumer: ref('k2') }, { maxBindings: 3 })).toBe('the row kernel would bind 4 storage buffers; the limit is 3');
  });

  it('leaves a GEMM before a row reduction to its own kernel: legal, but it would give up its schedule', () => {
    const p = programOf(
      [buffer('x', [2, 8], 'input'), buffer('w', [8, 4], 'input'), buffer('h', [2, 4]), buffer('s', [2, 1], 'output')],
      [
        kernel('k0', 'mm', { dims: dims({ i: 2, n: 4, k: 8 }, ['k']), reads: [{ buffer: 'x', index: at('i', 'k') }, { buffer: 'w', index: at('k', 'n') }], body: bin('mul', read(0), read(1)), write: { buffer: 'h', index: at('i', 'n'), wcr: 'sum' } }),
        kernel('k1', 'sum', { dims: dims({ i: 2, n: 4 }, ['n']), reads: [{ buffer: 'h', index: at('i', 'n') }], body: read(0), write: { buffer: 's', index: [v('i'), c(0)], wcr: 'sum' } }),
      ],
    );
    expect(checkRowFusion(p, rowSites(p)[0])).toBeNull();
    expect(fuseProgram(p).program.kernels.map((k) => k.id)).toEqual(['k0', 'k1']);
  });
});
