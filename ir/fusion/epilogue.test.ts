// Fusing a reduction's only reader into its epilogue on hand-built maps: the fused map writes the
// consumer's output with the same values, through transposes, reshape aliases and slices of a
// concatenation; every refusal names its reason.

import { describe, expect, it } from 'vitest';
import { acc, bin, c, read, un, v } from '../expr.js';
import type { MapOp, Memlet, Program } from '../program.js';
import { checkEpilogue, epilogueSites, fuseEpilogue } from './epilogue.js';
import { at, buffer, dims, expectSameResults, kernel, mapCount, programOf } from './test-programs.js';

const x = buffer('x', [2, 4], 'input');
const w = buffer('w', [4, 3], 'input');
const b = buffer('b', [3], 'input');
const s = buffer('s', [2, 3]);
const y = buffer('y', [2, 3], 'output');

/** s = x · w (a matmul over k), optionally with an epilogue of its own. */
const matmul = (epilogue?: MapOp['epilogue']): MapOp => ({
  dims: dims({ i: 2, n: 3, k: 4 }, ['k']),
  reads: [{ buffer: 'x', index: at('i', 'k') }, { buffer: 'w', index: at('k', 'n') }],
  body: bin('mul', read(0), read(1)),
  write: { buffer: 's', index: at('i', 'n'), wcr: 'sum' },
  ...(epilogue ? { epilogue } : {}),
});

/** y[i, j] = body over [2, 3]. */
const elementwise = (reads: Memlet[], body: MapOp['body'], out = 'y'): MapOp => ({
  dims: dims({ i: 2, j: 3 }), reads, body, write: { buffer: out, index: at('i', 'j') },
});

const biasRelu = elementwise([{ buffer: 's', index: at('i', 'j') }, { buffer: 'b', index: at('j') }], bin('max', bin('add', read(0), read(1)), c(0)));
const site = { producer: { kernel: 'k0', map: 0 }, consumer: { kernel: 'k1', map: 0 } };

function chain(second: MapOp, buffers = [x, w, b, s, y], first = matmul()): Program {
  return programOf(buffers, [kernel('k0', 'matmul', first), kernel('k1', 'act', second)]);
}

describe('fuseEpilogue', () => {
  it('makes a matmul + bias + relu one map that writes the consumer\'s output', () => {
    const p = chain(biasRelu);
    expect(epilogueSites(p)).toEqual([site]);
    expect(checkEpilogue(p, site)).toBeNull();
    const q = fuseEpilogue(p, site);
    expect(q.kernels.map((k) => [k.id, k.ops])).toEqual([['k1', ['matmul', 'act']]]);
    const m = q.kernels[0].maps[0];
    expect(m.write).toEqual({ buffer: 'y', index: at('i', 'n'), wcr: 'sum' });
    expect(m.epilogue).toEqual(bin('max', bin('add', { k: 'cast', to: 'float32', a: acc }, read(2)), c(0)));
    expect(m.reads[2]).toEqual({ buffer: 'b', index: at('n') });
    expect(q.buffers.has('s')).toBe(false);
    expectSameResults(p, q);
  });

  it('keeps the reduction\'s own epilogue under the consumer\'s', () => {
    const p = chain(biasRelu, undefined, matmul(bin('div', acc, c(4))));
    const q = fuseEpilogue(p, site);
    expect(q.kernels[0].maps[0].epilogue).toEqual(bin('max', bin('add', { k: 'cast', to: 'float32', a: bin('div', acc, c(4)) }, read(2)), c(0)));
    expectSameResults(p, q);
  });

  it('fuses a transposing consumer: the reduction writes the transposed layout', () => {
    const yt = buffer('y', [3, 2], 'output');
    const p = chain({ dims: dims({ a: 3, c: 2 }), reads: [{ buffer: 's', index: at('c', 'a') }], body: un('neg', read(0)), write: { buffer: 'y', index: at('a', 'c') } }, [x, w, s, yt]);
    const q = fuseEpilogue(p, site);
    expect(q.kernels[0].maps[0].write.index).toEqual(at('n', 'i'));
    expectSameResults(p, q);
  });

  it('reads through a reshape alias that splits a dim (the heads of attention)', () => {
    const wide = buffer('w', [4, 6], 'input');
    const s6 = buffer('s', [2, 6]);
    const heads = buffer('h', [2, 2, 3], 'intermediate', { aliasOf: 's' });
    const out = buffer('y', [2, 2, 3], 'output');
    const first: MapOp = { ...matmul(), dims: dims({ i: 2, n: 6, k: 4 }, ['k']) };
    const p = chain({ dims: dims({ i: 2, h: 2, d: 3 }), reads: [{ buffer: 'h', index: at('h', 'i', 'd') }], body: read(0), write: { buffer: 'y', index: at('i', 'h', 'd') } },
      [x, wide, s6, heads, out], first);
    const q = fuseEpilogue(p, site);
    expect(q.buffers.has('h')).toBe(false);
    expectSameResults(p, q);
  });

  it('writes straight into a slice of a concatenation written by several maps', () => {
    const cat = buffer('y', [2, 6], 'output');
    const slice = (offset: number, from: string): MapOp => ({ dims: dims({ i: 2, j: 3 }), reads: [{ buffer: from, index: at('i', 'j') }], body: read(0), write: { buffer: 'y', index: [v('i'), bin('add', v('j'), c(offset))] } });
    const z = buffer('z', [2, 3], 'input');
    const p = programOf([x, w, z, s, cat], [kernel('k0', 'matmul', matmul()), { id: 'k1', ops: ['concat'], maps: [slice(0, 'z'), slice(3, 's')] }]);
    const second = { producer: site.producer, consumer: { kernel: 'k1', map: 1 } };
    expect(checkEpilogue(p, second)).toBeNull();
    const q = fuseEpilogue(p, second);
    expect(mapCount(q)).toBe(2);
    expectSameResults(p, q);
  });
});

describe('checkEpilogue refuses', () => {
  it('a producer that is not a reduction, and a consumer that is one', () => {
    const first: MapOp = { dims: dims({ i: 2, n: 3 }), reads: [], body: c(1), write: { buffer: 's', index: at('i', 'n') } };
    expect(checkEpilogue(chain(biasRelu, undefined, first), site)).toBe('the producer is not a reduction: inline it instead');
    const sum: MapOp = { dims: dims({ i: 2, j: 3 }, ['j']), reads: [{ buffer: 's', index: at('i', 'j') }], body: read(0), write: { buffer: 'y', index: at('i'), wcr: 'sum' } };
    expect(checkEpilogue(chain(sum, [x, w, s, buffer('y', [2], 'output')]), site)).toBe('the consumer is a reduction too (many-to-many)');
  });

  it('a result with other readers', () => {
    const z = buffer('z', [2, 3], 'output');
    const p = programOf([x, w, b, s, y, z], [kernel('k0', 'matmul', matmul()), kernel('k1', 'act', biasRelu), kernel('k2', 'copy', elementwise([{ buffer: 's', index: at('i', 'j') }], read(0), 'z'))]);
    expect(checkEpilogue(p, site)).toBe("'s' has other readers (k2.m0), so the reduction must still write it");
  });

  it('a broadcasting consumer', () => {
    const rows = buffer('s', [2]);
    const first: MapOp = { dims: dims({ i: 2, k: 4 }, ['k']), reads: [{ buffer: 'x', index: at('i', 'k') }], body: read(0), write: { buffer: 's', index: at('i'), wcr: 'sum' } };
    const p = chain(elementwise([{ buffer: 's', index: at('i') }], read(0)), [x, rows, y], first);
    expect(checkEpilogue(p, site)).toBe("the consumer reads 's' as one-to-many; only one-to-one and shuffle reads fuse into an epilogue");
  });

  it('a consumer that reads only part of the result (a slice)', () => {
    const half = buffer('y', [2, 2], 'output');
    const p = chain({ dims: dims({ i: 2, j: 2 }), reads: [{ buffer: 's', index: at('i', 'j') }], body: read(0), write: { buffer: 'y', index: at('i', 'j') } }, [x, w, s, half]);
    expect(checkEpilogue(p, site)).toBe('the consumer has 4 points and the reduction 6: it does not read each element exactly once');
  });

  it('a consumer that reads the result at two positions per point', () => {
    const mirrored = elementwise([{ buffer: 's', index: at('i', 'j') }, { buffer: 's', index: [v('i'), bin('sub', c(2), v('j'))] }], bin('add', read(0), read(1)));
    expect(checkEpilogue(chain(mirrored), site)).toBe("the consumer reads 's' at several positions per point");
  });

  it('a read through an alias that merges the result\'s dims into one (a division, not invertible)', () => {
    const flat = buffer('f', [6], 'intermediate', { aliasOf: 's' });
    const out = buffer('y', [6], 'output');
    const p = chain({ dims: dims({ q: 6 }), reads: [{ buffer: 'f', index: at('q') }], body: read(0), write: { buffer: 'y', index: at('q') } }, [x, w, s, flat, out]);
    expect(checkEpilogue(p, site)).toBe("the consumer's read of 's' cannot be inverted: index 0 (q // 3) is not affine");
  });

  it('more storage buffers than a map may bind', () => {
    expect(checkEpilogue(chain(biasRelu), site, { maxBindings: 3 })).toBe('the fused map would bind 4 storage buffers; the limit is 3');
  });
});
