// A small hand-built program for the transform-space tests: a GEMM, a bias add and a ReLU, three
// kernels over two intermediates, so that both fusions and every level-1 step kind have sites.

import { bin, c, read } from '../ir/expr.js';
import { at, buffer, dims, kernel, programOf } from '../ir/fusion/test-programs.js';
import type { Program } from '../ir/program.js';

/** y = relu(A·B + bias), A: M×K, B: K×N. */
export function gemmBiasRelu(M: number, N: number, K: number): Program {
  return programOf([
    buffer('a', [M, K], 'input'), buffer('b', [K, N], 'input'), buffer('bias', [N], 'constant'),
    buffer('t', [M, N]), buffer('u', [M, N]), buffer('y', [M, N], 'output'),
  ], [
    kernel('k0', 'matmul', {
      dims: dims({ m: M, n: N, k: K }, ['k']),
      reads: [{ buffer: 'a', index: at('m', 'k') }, { buffer: 'b', index: at('k', 'n') }],
      body: bin('mul', read(0), read(1)),
      write: { buffer: 't', index: at('m', 'n'), wcr: 'sum' },
    }),
    kernel('k1', 'bias', {
      dims: dims({ i: M, j: N }),
      reads: [{ buffer: 't', index: at('i', 'j') }, { buffer: 'bias', index: at('j') }],
      body: bin('add', read(0), read(1)),
      write: { buffer: 'u', index: at('i', 'j') },
    }),
    kernel('k2', 'relu', {
      dims: dims({ i: M, j: N }),
      reads: [{ buffer: 'u', index: at('i', 'j') }],
      body: bin('max', read(0), c(0)),
      write: { buffer: 'y', index: at('i', 'j') },
    }),
  ], { bias: { dtype: 'float32', shape: [N], data: new Float32Array(N).map((_, i) => i / N - 0.5) } });
}
