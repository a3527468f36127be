// Mapping types read off memlets, and the index algebra under them: inverting an injective
// affine write, and locating an element of a reshape view in its storage.

import { describe, expect, it } from 'vitest';
import { add, bin, c, idiv, mod, mul, printExpr, read, v } from '../expr.js';
import type { MapOp } from '../program.js';
import { invertIndex, viewIndex } from './index-algebra.js';
import { mapMapping, readMapping } from './mapping-type.js';
import { at, buffer, dims, kernel, programOf } from './test-programs.js';

/** A map over [n<1, c<4, h<5] writing y[n, c, h] and reading `reads`. */
const over = (...reads: MapOp['reads']): MapOp => ({
  dims: dims({ n: 1, c: 4, h: 5 }), reads, body: read(0), write: { buffer: 'y', index: at('n', 'c', 'h') },
});

describe('readMapping', () => {
  it('tells the five types apart from the memlets alone', () => {
    expect(readMapping(over({ buffer: 'x', index: [c(0), v('c'), v('h')] }), 0)).toBe('one-to-one');
    expect(readMapping(over({ buffer: 'x', index: [v('c'), add(v('h'), c(2))] }), 0)).toBe('one-to-one');
    expect(readMapping(over({ buffer: 'x', index: at('c') }), 0)).toBe('one-to-many');
    expect(readMapping(over({ buffer: 'x', index: [add(v('c'), v('h'))] }), 0)).toBe('one-to-many');
    expect(readMapping(over({ buffer: 'x', index: at('h', 'c') }), 0)).toBe('shuffle');
    expect(readMapping(over({ buffer: 'x', index: [idiv(add(mul(v('c'), c(5)), v('h')), c(2))] }), 0)).toBe('reorganize');
    const sum: MapOp = { ...over({ buffer: 'x', index: at('c', 'h') }), dims: dims({ n: 1, c: 4, h: 5 }, ['h']), write: { buffer: 'y', index: at('c'), wcr: 'sum' } };
    expect(readMapping(sum, 0)).toBe('many-to-many');
  });
});

describe('mapMapping', () => {
  it('is the most demanding read of a non-constant buffer: a bias broadcast does not count, an activation broadcast does', () => {
    const bn = over({ buffer: 'x', index: at('n', 'c', 'h') }, { buffer: 'scale', index: at('c') });
    const p = programOf([buffer('x', [1, 4, 5], 'input'), buffer('scale', [4], 'constant'), buffer('gate', [4], 'input'), buffer('y', [1, 4, 5], 'output')], [kernel('k0', 'bn', bn)]);
    expect(mapMapping(p, bn)).toBe('one-to-one');
    expect(mapMapping(p, { ...bn, reads: [bn.reads[0], { buffer: 'gate', index: at('c') }] })).toBe('one-to-many');
  });
});

describe('invertIndex', () => {
  const text = (inverse: ReturnType<typeof invertIndex>, names: string[]): string[] => {
    if (typeof inverse === 'string') throw new Error(inverse);
    const point = inverse(names.map((n) => v(n)));
    return [...point].map(([d, e]) => `${d}=${printExpr(e)}`);
  };

  it('inverts identities, offsets, mirrors and mixed radices, pinning extent-1 dims to 0', () => {
    const grouped = dims({ n: 1, g: 3, m: 2, x: 5 });
    expect(text(invertIndex([v('n'), add(mul(v('g'), c(2)), v('m')), add(v('x'), c(1))], grouped), ['a', 'b', 'e'])).toEqual(['n=0', 'm=b % 2', 'g=b // 2', 'x=e - 1']);
    expect(text(invertIndex([bin('sub', c(4), v('x'))], dims({ x: 5 })), ['a'])).toEqual(['x=4 - a']);
  });

  it('says why an index is not invertible', () => {
    expect(invertIndex([v('i')], dims({ i: 2, j: 3 }))).toBe('it does not depend on j, so 3 points share each element');
    expect(invertIndex([v('i'), v('i')], dims({ i: 2 }))).toBe('i appears in 2 index components');
    expect(invertIndex([add(mul(v('i'), c(2)), v('j'))], dims({ i: 2, j: 3 }))).toBe('index 0 mixes j and i with overlapping strides');
    expect(invertIndex([mod(v('i'), c(2))], dims({ i: 4 }))).toBe('index 0 (i % 2) is not affine');
  });
});

describe('viewIndex', () => {
  const show = (index: ReturnType<typeof viewIndex>): string => index.map((e) => printExpr(e)).join(', ');

  it('keeps merges affine, splits with a division, and skips extent-1 dims', () => {
    expect(show(viewIndex(at('b', 's', 'h', 'd'), [2, 8, 4, 16], [2, 8, 64]))).toBe('b, s, (h * 16) + d');
    expect(show(viewIndex(at('q'), [6], [2, 3]))).toBe('q // 3, q % 3');
    expect(show(viewIndex(at('n', 'c'), [1, 8], [1, 8, 1, 1]))).toBe('0, c, 0, 0');
    expect(show(viewIndex(at('a', 'b'), [2, 3], [2, 3]))).toBe('a, b');
  });
});
