// Inlining a parallel producer into its consumer on hand-built maps: the fused program computes
// exactly what the unfused one does, the producer and its buffer go with its last reader, and
// every refusal names its reason.

import { describe, expect, it } from 'vitest';
import { bin, c, read, un, v } from '../expr.js';
import type { MapOp, Memlet, Program } from '../program.js';
import { checkInline, inlineProducer, inlineSites } from './inline.js';
import { at, buffer, dims, expectSameResults, kernel, mapCount, programOf } from './test-programs.js';

const x = buffer('x', [2, 3], 'input');
const t = buffer('t', [2, 3]);
const y = buffer('y', [2, 3], 'output');

/** t = op(x) elementwise over [2, 3]. */
const producer = (body = un('exp', read(0)), from = 'x'): MapOp => ({
  dims: dims({ i: 2, j: 3 }), reads: [{ buffer: from, index: at('i', 'j') }], body, write: { buffer: 't', index: at('i', 'j') },
});

/** y = body over [2, 3], reading `reads`. */
const consumer = (reads: Memlet[], body: MapOp['body'], out = 'y'): MapOp => ({
  dims: dims({ i: 2, j: 3 }), reads, body, write: { buffer: out, index: at('i', 'j') },
});

const site = { producer: { kernel: 'k0', map: 0 }, consumer: { kernel: 'k1', map: 0 } };

/** x → k0: t = exp(x) → k1: consumer. */
function chain(second: MapOp, buffers = [x, t, y], first = producer()): Program {
  return programOf(buffers, [kernel('k0', 'exp', first), kernel('k1', 'use', second)]);
}

describe('inlineProducer', () => {
  it('substitutes an elementwise producer into an elementwise consumer; the producer and its buffer disappear', () => {
    const p = chain(consumer([{ buffer: 't', index: at('i', 'j') }], bin('add', read(0), c(1))));
    expect(inlineSites(p)).toEqual([site]);
    expect(checkInline(p, site)).toBeNull();
    const q = inlineProducer(p, site);
    expect(q.kernels.map((k) => [k.id, k.ops])).toEqual([['k1', ['exp', 'use']]]);
    expect(q.buffers.has('t')).toBe(false);
    expect(q.kernels[0].maps[0].reads).toEqual([{ buffer: 'x', index: at('i', 'j') }]);
    expectSameResults(p, q);
  });

  it('re-indexes the producer through a transposing consumer', () => {
    const yt = buffer('y', [3, 2], 'output');
    const p = chain({ dims: dims({ a: 3, b: 2 }), reads: [{ buffer: 't', index: at('b', 'a') }], body: read(0), write: { buffer: 'y', index: at('a', 'b') } }, [x, t, yt]);
    const q = inlineProducer(p, site);
    expect(q.kernels[0].maps[0].reads).toEqual([{ buffer: 'x', index: at('b', 'a') }]);
    expectSameResults(p, q);
  });

  it('inlines into a broadcasting consumer when the body is small, and refuses a body over the limit', () => {
    const s = buffer('s', [3], 'input');
    const small = buffer('t', [3]);
    const first: MapOp = { dims: dims({ j: 3 }), reads: [{ buffer: 's', index: at('j') }], body: un('sqrt', un('abs', read(0))), write: { buffer: 't', index: at('j') } };
    const p = chain(consumer([{ buffer: 'x', index: at('i', 'j') }, { buffer: 't', index: at('j') }], bin('mul', read(0), read(1))), [x, s, small, y], first);
    expect(checkInline(p, site)).toBeNull();
    expectSameResults(p, inlineProducer(p, site));
    expect(checkInline(p, site, { maxRecomputeOps: 1 })).toBe("the consumer reads each element of 't' 2 times; its 2-op body is too costly to recompute at every read (limit 1)");
  });

  it('inlines into a reduction that reads each element once', () => {
    const rowSum = buffer('y', [2], 'output');
    const p = chain({
      dims: dims({ i: 2, j: 3 }, ['j']), reads: [{ buffer: 't', index: at('i', 'j') }], body: read(0), write: { buffer: 'y', index: at('i'), wcr: 'sum' },
    }, [x, t, rowSum]);
    const q = inlineProducer(p, site);
    expect(mapCount(q)).toBe(1);
    expectSameResults(p, q);
  });

  it('refuses an elementwise producer feeding a reduction that reads each element several times (a matmul)', () => {
    const w = buffer('w', [3, 4], 'input');
    const mm = buffer('y', [2, 4], 'output');
    const matmul: MapOp = {
      dims: dims({ i: 2, n: 4, k: 3 }, ['k']),
      reads: [{ buffer: 't', index: at('i', 'k') }, { buffer: 'w', index: at('k', 'n') }],
      body: bin('mul', read(0), read(1)),
      write: { buffer: 'y', index: at('i', 'n'), wcr: 'sum' },
    };
    const p = chain(matmul, [x, w, t, mm]);
    expect(checkInline(p, site)).toBe("the consumer's reduction reads each element of 't' 4 times; recomputing its 1-op body at every read costs more than storing it");
    expect(() => inlineProducer(p, site)).toThrow(/cannot inline k0.m0 → k1.m0: the consumer's reduction reads/);
  });

  it('inlines a plain copy (a transpose) even into a reduction that reads it many times', () => {
    const w = buffer('w', [3, 4], 'input');
    const mm = buffer('y', [3, 4], 'output');
    const tt = buffer('t', [3, 2]);
    const transpose: MapOp = { dims: dims({ a: 3, b: 2 }), reads: [{ buffer: 'x', index: at('b', 'a') }], body: read(0), write: { buffer: 't', index: at('a', 'b') } };
    const matmul: MapOp = {
      dims: dims({ i: 3, n: 4, k: 2 }, ['k']),
      reads: [{ buffer: 't', index: at('i', 'k') }, { buffer: 'w', index: at('k', 'n') }],
      body: bin('mul', read(0), read(1)),
      write: { buffer: 'y', index: at('i', 'n'), wcr: 'sum' },
    };
    const p = chain(matmul, [x, w, tt, mm], transpose);
    const q = inlineProducer(p, site);
    expect(q.kernels[0].maps[0].reads).toEqual([{ buffer: 'w', index: at('k', 'n') }, { buffer: 'x', index: at('k', 'i') }]);
    expect(q.kernels[0].maps[0].body).toEqual(bin('mul', read(1), read(0)));
    expectSameResults(p, q);
  });

  it('keeps the producer until its last reader has inlined it; both kernels then hold its node', () => {
    const z = buffer('z', [2, 3], 'output');
    const p = programOf([x, t, y, z], [
      kernel('k0', 'exp', producer()),
      kernel('k1', 'inc', consumer([{ buffer: 't', index: at('i', 'j') }], bin('add', read(0), c(1)))),
      kernel('k2', 'dec', consumer([{ buffer: 't', index: at('i', 'j') }], bin('sub', read(0), c(1)), 'z')),
    ]);
    const once = inlineProducer(p, site);
    expect(once.kernels.map((k) => [k.id, k.ops])).toEqual([['k0', ['exp']], ['k1', ['exp', 'inc']], ['k2', ['dec']]]);
    expectSameResults(p, once);
    const twice = inlineProducer(once, { producer: site.producer, consumer: { kernel: 'k2', map: 0 } });
    expect(twice.kernels.map((k) => [k.id, k.ops])).toEqual([['k1', ['exp', 'inc']], ['k2', ['exp', 'dec']]]);
    expect(twice.buffers.has('t')).toBe(false);
    expectSameResults(p, twice);
  });

  it('keeps the conversion a store did: an int64 producer truncates before the consumer sees it', () => {
    const ti = buffer('t', [2, 3], 'intermediate', { dtype: 'int64' });
    const p = chain(consumer([{ buffer: 't', index: at('i', 'j') }], bin('mul', read(0), c(0.5))), [x, ti, y], producer(bin('mul', read(0), c(3))));
    const q = inlineProducer(p, site);
    expect(q.kernels[0].maps[0].body).toEqual(bin('mul', { k: 'cast', to: 'int64', a: bin('mul', read(0), c(3)) }, c(0.5)));
    expectSameResults(p, q);
  });
});

describe('checkInline refuses', () => {
  const plain = consumer([{ buffer: 't', index: at('i', 'j') }], read(0));

  it('a reduction producer', () => {
    const s = buffer('t', [2]);
    const first: MapOp = { dims: dims({ i: 2, j: 3 }, ['j']), reads: [{ buffer: 'x', index: at('i', 'j') }], body: read(0), write: { buffer: 't', index: at('i'), wcr: 'sum' } };
    const p = chain({ dims: dims({ i: 2 }), reads: [{ buffer: 't', index: at('i') }], body: read(0), write: { buffer: 'y', index: at('i') } }, [x, s, buffer('y', [2], 'output')], first);
    expect(checkInline(p, site)).toBe('the producer is a reduction (many-to-many): fuse it as an epilogue instead');
  });

  it('a producer writing a graph output', () => {
    const p = chain(plain, [x, buffer('t', [2, 3], 'output'), y]);
    expect(checkInline(p, site)).toBe("'t' is a graph output, which must stay in memory");
  });

  it('a buffer written by several maps', () => {
    const half = (j: number): MapOp => ({ dims: dims({ i: 2 }), reads: [{ buffer: 'x', index: [v('i'), c(j)] }], body: read(0), write: { buffer: 't', index: [v('i'), c(j)] } });
    const p = programOf([x, t, y], [{ id: 'k0', ops: ['split'], maps: [half(0), half(1), half(2)] }, kernel('k1', 'use', plain)]);
    expect(checkInline(p, site)).toBe("'t' is written by 3 maps (k0.m0, k0.m1, k0.m2)");
  });

  it('a padded read', () => {
    const p = chain(consumer([{ buffer: 't', index: [v('i'), bin('sub', v('j'), c(1))], pad: 0 }], read(0)));
    expect(checkInline(p, site)).toBe("the consumer reads 't' through a padded (guarded) memlet");
  });

  it('a data-dependent read of the buffer, and the buffer used as an index', () => {
    const idx = buffer('idx', [2, 3], 'input', { dtype: 'int64' });
    const gathered = chain(consumer([{ buffer: 'idx', index: at('i', 'j') }, { buffer: 't', index: [v('i'), read(0)] }], read(1)), [x, idx, t, y]);
    expect(checkInline(gathered, site)).toBe("the consumer reads 't' at a data-dependent index");
    const ti = buffer('t', [2, 3], 'intermediate', { dtype: 'int64' });
    const asIndex = chain(consumer([{ buffer: 't', index: at('i', 'j') }, { buffer: 'x', index: [v('i'), read(0)] }], read(1)), [x, ti, y]);
    expect(checkInline(asIndex, site)).toBe("the consumer uses 't' as an index of another read");
  });

  it('a producer input overwritten before the consumer runs', () => {
    const w = buffer('w', [2, 3]);
    const fill = (value: number): MapOp => ({ dims: dims({ i: 2, j: 3 }), reads: [], body: c(value), write: { buffer: 'w', index: at('i', 'j') } });
    const p = programOf([x, w, t, y], [
      kernel('k9', 'fill', fill(1)), kernel('k0', 'exp', producer(un('exp', read(0)), 'w')), kernel('k8', 'refill', fill(2)), kernel('k1', 'use', plain),
    ]);
    expect(checkInline(p, site)).toBe("k8.m0 overwrites 'w', which the producer reads, before the consumer runs");
  });

  it('a write index that is not injective', () => {
    const first: MapOp = { dims: dims({ i: 2, j: 3, r: 2 }), reads: [{ buffer: 'x', index: at('i', 'j') }], body: read(0), write: { buffer: 't', index: at('i', 'j') } };
    expect(checkInline(chain(plain, undefined, first), site)).toBe("the producer's write index cannot be inverted: it does not depend on r, so 2 points share each element");
  });

  it('a fused map too big for one shader: more storage buffers than it may bind, or too large an expression', () => {
    const p = chain(consumer([{ buffer: 't', index: at('i', 'j') }, { buffer: 'x', index: at('i', 'j') }], bin('add', read(0), read(1))));
    expect(checkInline(p, site, { maxBindings: 1 })).toBe('the fused map would bind 2 storage buffers; the limit is 1');
    // add(float32(exp(x[i, j])), x[i, j]): five nodes, and two in the shared index.
    expect(checkInline(p, site, { maxExprNodes: 6 })).toBe('the fused map would hold 7 expression nodes; the limit is 6');
    expect(checkInline(p, site, { maxExprNodes: 7 })).toBeNull();
  });

  it('sites that are not a producer and its consumer', () => {
    const p = chain(plain);
    expect(checkInline(p, { producer: site.consumer, consumer: site.producer })).toBe('the consumer k0.m0 does not run after the producer k1.m0');
    expect(checkInline(p, { producer: site.producer, consumer: { kernel: 'k7', map: 0 } })).toBe('there is no map k7.m0');
  });
});
