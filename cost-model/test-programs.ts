// Hand-built one-map programs for the cost-model tests, each showing one access pattern, and
// schedule literals for them.

import { bin, c, read, v, type Expr } from '../ir/expr.js';
import { at, buffer, dims, programOf } from '../ir/fusion/test-programs.js';
import type { MapOp, Program } from '../ir/program.js';
import type { MapSchedule } from '../kernels/schedule.js';

export const serial = (workgroupSize: number, more: Partial<MapSchedule> = {}): MapSchedule => ({ workgroupSize, bind: 'flat', reduction: 'serial', ...more });
export const tree = (workgroupSize: number): MapSchedule => ({ workgroupSize, bind: 'flat', reduction: 'workgroup-tree' });
export const subgroup = (workgroupSize: number): MapSchedule => ({ workgroupSize, bind: 'flat', reduction: 'subgroup' });

const one = (m: MapOp, buffers: Parameters<typeof programOf>[0]): Program => programOf(buffers, [{ id: 'k1', ops: ['op'], maps: [m] }]);

/** y[i, j] = x[index(i, j)] over an n×n domain. */
export function copy2d(n: number, index: Expr[], x = buffer('x', [n, n], 'input')): Program {
  const m: MapOp = { dims: dims({ i: n, j: n }), reads: [{ buffer: 'x', index }], body: read(0), write: { buffer: 'y', index: at('i', 'j') } };
  return one(m, [x, buffer('y', [n, n], 'output')]);
}

/** C[m, n] = Σ_k A[m, k] · B[k, n], or B stored transposed (B[n, k]). */
export function gemm(M: number, N: number, K: number, transposedB = false): Program {
  const m: MapOp = {
    dims: dims({ m: M, n: N, k: K }, ['k']),
    reads: [{ buffer: 'a', index: at('m', 'k') }, { buffer: 'b', index: transposedB ? at('n', 'k') : at('k', 'n') }],
    body: bin('mul', read(0), read(1)),
    write: { buffer: 'c', index: at('m', 'n'), wcr: 'sum' },
  };
  return one(m, [buffer('a', [M, K], 'input'), buffer('b', transposedB ? [N, K] : [K, N], 'input'), buffer('c', [M, N], 'output')]);
}

/** y[i] = Σ_j x[i, j]. */
export function rowSum(rows: number, cols: number): Program {
  const m: MapOp = { dims: dims({ i: rows, j: cols }, ['j']), reads: [{ buffer: 'x', index: at('i', 'j') }], body: read(0), write: { buffer: 'y', index: at('i'), wcr: 'sum' } };
  return one(m, [buffer('x', [rows, cols], 'input'), buffer('y', [rows], 'output')]);
}

/** y[i, j] = table[idx[i], j]: a gather of whole rows. */
export function gatherRows(rows: number, cols: number, tableRows: number): Program {
  const m: MapOp = {
    dims: dims({ i: rows, j: cols }),
    reads: [{ buffer: 'idx', index: at('i') }, { buffer: 'table', index: [read(0), v('j')] }],
    body: read(1),
    write: { buffer: 'y', index: at('i', 'j') },
  };
  return one(m, [buffer('idx', [rows], 'input', { dtype: 'int32' }), buffer('table', [tableRows, cols], 'input'), buffer('y', [rows, cols], 'output')]);
}

/** y[i] = f(f(…f(x[i]))), f(t) = t · 0.5 + x[i]: 2 · `depth` operations per element loaded. */
export function arithmetic(n: number, depth: number): Program {
  let body: Expr = read(0);
  for (let d = 0; d < depth; d++) body = bin('add', bin('mul', body, c(0.5)), read(0));
  const m: MapOp = { dims: dims({ i: n }), reads: [{ buffer: 'x', index: at('i') }], body, write: { buffer: 'y', index: at('i') } };
  return one(m, [buffer('x', [n], 'input'), buffer('y', [n], 'output')]);
}
