// One-map programs the codegen tests compile under schedules and compare with the loop
// interpreter: an elementwise map over reshaped, transposed and shifted views, a GEMM with a bias,
// a gathered max-GEMM (an indirect read), a convolution and a matrix-vector reduction under any
// wcr, each with seeded inputs.

import { acc, add, bin, c, mul, read, sel, v, type Expr } from '../../ir/expr.js';
import type { Buffer, MapOp, Program, Wcr } from '../../ir/program.js';
import { rng, uniform } from '../../ir/testing/random.js';
import { tensorOf, type Tensor } from '../../ir/tensor.js';

export interface TestCase {
  readonly p: Program;
  readonly inputs: Record<string, Tensor>;
}

const buffer = (name: string, shape: number[], kind: Buffer['kind'], dtype: Buffer['dtype'] = 'float32'): [string, Buffer] =>
  [name, { name, shape, dtype, kind }];

function oneMap(map: MapOp, buffers: [string, Buffer][], inputs: Record<string, Tensor>): TestCase {
  return {
    p: {
      buffers: new Map(buffers), constants: new Map(), inputs: Object.keys(inputs), outputs: [{ name: 'y', buffer: 'y' }],
      kernels: [{ id: 'k1', ops: ['test'], maps: [map] }],
    },
    inputs,
  };
}

/**
 * Y[i, j] = A[j, i] + B[i, j - 1] (0 where j = 0) · C viewed as [I·J/K, K] at element i·J + j
 * (idiv and mod by K), then halved where j is odd: index constants that come from shapes.
 */
export function elementwise(I: number, J: number, K: number): TestCase {
  const r = rng(`elementwise ${I} ${J} ${K}`);
  const flatIndex = add(mul(v('i'), c(J)), v('j'));
  return oneMap({
    dims: [{ name: 'i', extent: I }, { name: 'j', extent: J }],
    reads: [
      { buffer: 'a', index: [v('j'), v('i')] },
      { buffer: 'b', index: [v('i'), bin('sub', v('j'), c(1))], pad: 0 },
      { buffer: 'c', index: [bin('idiv', flatIndex, c(K)), bin('mod', flatIndex, c(K))] },
    ],
    body: sel(bin('eq', bin('mod', v('j'), c(2)), c(1)), bin('mul', bin('add', read(0), bin('mul', read(1), read(2))), c(0.5)),
      bin('add', read(0), bin('mul', read(1), read(2)))),
    write: { buffer: 'y', index: [v('i'), v('j')] },
  }, [buffer('a', [J, I], 'input'), buffer('b', [I, J], 'input'), buffer('c', [(I * J) / K, K], 'input'), buffer('y', [I, J], 'output')],
  { a: uniform(r, [J, I]), b: uniform(r, [I, J]), c: uniform(r, [(I * J) / K, K]) });
}

/** Y[m, n] = Σ_k A[m, k] · B[k, n] + bias[n]. */
export function gemm(M: number, N: number, K: number): TestCase {
  const r = rng(`gemm ${M} ${N} ${K}`);
  return oneMap({
    dims: [{ name: 'm', extent: M }, { name: 'n', extent: N }, { name: 'k', extent: K, reduce: true }],
    reads: [{ buffer: 'a', index: [v('m'), v('k')] }, { buffer: 'b', index: [v('k'), v('n')] }, { buffer: 'bias', index: [v('n')] }],
    body: bin('mul', read(0), read(1)),
    write: { buffer: 'y', index: [v('m'), v('n')], wcr: 'sum' },
    epilogue: bin('add', acc, read(2)),
  }, [buffer('a', [M, K], 'input'), buffer('b', [K, N], 'input'), buffer('bias', [N], 'input'), buffer('y', [M, N], 'output')],
  { a: uniform(r, [M, K]), b: uniform(r, [K, N]), bias: uniform(r, [N]) });
}

/** Y[m, n] = max_k A[m, perm[k]] · B[k, n] (an indirect read), then · 2 where n is odd. */
export function gatherMax(M: number, N: number, K: number): TestCase {
  const r = rng(`gather ${M} ${N} ${K}`);
  return oneMap({
    dims: [{ name: 'm', extent: M }, { name: 'n', extent: N }, { name: 'k', extent: K, reduce: true }],
    reads: [{ buffer: 'perm', index: [v('k')] }, { buffer: 'a', index: [v('m'), read(0)] }, { buffer: 'b', index: [v('k'), v('n')] }],
    body: bin('mul', read(1), read(2)),
    write: { buffer: 'y', index: [v('m'), v('n')], wcr: 'max' },
    epilogue: sel(bin('eq', bin('mod', v('n'), c(2)), c(1)), bin('mul', acc, c(2)), acc),
  }, [buffer('perm', [K], 'input', 'int32'), buffer('a', [M, K], 'input'), buffer('b', [K, N], 'input'), buffer('y', [M, N], 'output')],
  { perm: tensorOf('int32', [K], Array.from({ length: K }, (_, i) => (i * 5) % K)), a: uniform(r, [M, K]), b: uniform(r, [K, N]) });
}

export interface ConvShape {
  readonly OC: number;
  readonly H: number;
  readonly W: number;
  /** Kernel size (square). */
  readonly k: number;
  readonly stride: number;
  readonly pad: number;
}

/** Y[oc, oh, ow] = relu(Σ X[c, s·oh + kh - pad, s·ow + kw - pad] · W[oc, c, kh, kw] + bias[oc]), C = 3; X read guarded where padded. */
export function conv({ OC, H, W, k, stride, pad }: ConvShape): TestCase {
  const r = rng(`conv ${OC} ${H} ${W} ${k} ${stride} ${pad}`);
  const C = 3;
  const OH = Math.floor((H + 2 * pad - k) / stride) + 1;
  const OW = Math.floor((W + 2 * pad - k) / stride) + 1;
  const at = (o: string, kk: string): Expr => bin('add', stride === 1 ? v(o) : bin('mul', v(o), c(stride)), bin('sub', v(kk), c(pad)));
  return oneMap({
    dims: [{ name: 'oc', extent: OC }, { name: 'oh', extent: OH }, { name: 'ow', extent: OW },
      { name: 'c', extent: C, reduce: true }, { name: 'kh', extent: k, reduce: true }, { name: 'kw', extent: k, reduce: true }],
    reads: [
      { buffer: 'x', index: [v('c'), at('oh', 'kh'), at('ow', 'kw')], ...(pad ? { pad: 0 } : {}) },
      { buffer: 'w', index: [v('oc'), v('c'), v('kh'), v('kw')] },
      { buffer: 'bias', index: [v('oc')] },
    ],
    body: bin('mul', read(0), read(1)),
    write: { buffer: 'y', index: [v('oc'), v('oh'), v('ow')], wcr: 'sum' },
    epilogue: bin('max', bin('add', acc, read(2)), c(0)),
  }, [buffer('x', [C, H, W], 'input'), buffer('w', [OC, C, k, k], 'input'), buffer('bias', [OC], 'input'), buffer('y', [OC, OH, OW], 'output')],
  { x: uniform(r, [C, H, W]), w: uniform(r, [OC, C, k, k]), bias: uniform(r, [OC]) });
}

/**
 * Y[m] = wcr over (k1, k2) of A[m, k1, k2] · x[k1, k2], then · 2 + bias[m]: few outputs, a long
 * reduction over two reduce dims. Products are of values near 1, so that a prod stays finite.
 */
export function matvec(M: number, K1: number, K2: number, wcr: Wcr): TestCase {
  const r = rng(`matvec ${M} ${K1} ${K2} ${wcr}`);
  const [lo, hi] = wcr === 'prod' ? [0.97, 1.03] : [-1, 1];
  return oneMap({
    dims: [{ name: 'm', extent: M }, { name: 'k1', extent: K1, reduce: true }, { name: 'k2', extent: K2, reduce: true }],
    reads: [{ buffer: 'a', index: [v('m'), v('k1'), v('k2')] }, { buffer: 'x', index: [v('k1'), v('k2')] }, { buffer: 'bias', index: [v('m')] }],
    body: bin('mul', read(0), read(1)),
    write: { buffer: 'y', index: [v('m')], wcr },
    epilogue: bin('add', bin('mul', acc, c(2)), read(2)),
  }, [buffer('a', [M, K1, K2], 'input'), buffer('x', [K1, K2], 'input'), buffer('bias', [M], 'input'), buffer('y', [M], 'output')],
  { a: uniform(r, [M, K1, K2], lo, hi), x: uniform(r, [K1, K2], lo, hi), bias: uniform(r, [M]) });
}
