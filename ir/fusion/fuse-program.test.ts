// The default plan on a hand-built MatMul + bias + GELU-like chain: the exact sequence of
// decisions (epilogue first, then inlining, then the epilogue that inlining made possible), the
// single kernel it ends with, and the same results as the unfused program.

import { describe, expect, it } from 'vitest';
import { bin, c, read, un } from '../expr.js';
import type { MapOp } from '../program.js';
import { fuseProgram } from './fuse-program.js';
import { FUSION_STEPS } from './index.js';
import { at, buffer, dims, expectSameResults, kernel, programOf } from './test-programs.js';

const elementwise = (reads: string[], body: MapOp['body'], out: string): MapOp => ({
  dims: dims({ i: 2, n: 3 }), reads: reads.map((b) => ({ buffer: b, index: b === 'b' ? at('n') : at('i', 'n') })), body, write: { buffer: out, index: at('i', 'n') },
});

// s = x·w; a = s + b; d = a / 2; e = erf(d); y = a * e
const p = programOf(
  [buffer('x', [2, 4], 'input'), buffer('w', [4, 3], 'input'), buffer('b', [3], 'input'),
    ...['s', 'a', 'd', 'e'].map((n) => buffer(n, [2, 3])), buffer('y', [2, 3], 'output')],
  [
    kernel('k0', 'mm', {
      dims: dims({ i: 2, n: 3, k: 4 }, ['k']),
      reads: [{ buffer: 'x', index: at('i', 'k') }, { buffer: 'w', index: at('k', 'n') }],
      body: bin('mul', read(0), read(1)),
      write: { buffer: 's', index: at('i', 'n'), wcr: 'sum' },
    }),
    kernel('k1', 'bias', elementwise(['s', 'b'], bin('add', read(0), read(1)), 'a')),
    kernel('k2', 'div', elementwise(['a'], bin('div', read(0), c(2)), 'd')),
    kernel('k3', 'erf', elementwise(['d'], un('erf', read(0)), 'e')),
    kernel('k4', 'mul', elementwise(['a', 'e'], bin('mul', read(0), read(1)), 'y')),
  ],
);

describe('fuseProgram', () => {
  it('fuses the chain into one map, recording each decision', () => {
    const { program, decisions } = fuseProgram(p);
    expect(decisions).toEqual([
      { kernel: 'k1', ops: ['mm', 'bias'], kind: 'epilogue', mapping: ['many-to-many', 'one-to-one'] },
      { kernel: 'k3', ops: ['div', 'erf'], kind: 'inline', mapping: ['one-to-one', 'one-to-one'] },
      { kernel: 'k4', ops: ['div', 'erf', 'mul'], kind: 'inline', mapping: ['one-to-one', 'one-to-one'] },
      { kernel: 'k4', ops: ['mm', 'bias', 'div', 'erf', 'mul'], kind: 'epilogue', mapping: ['many-to-many', 'one-to-one'] },
    ]);
    expect(program.kernels.map((k) => k.id)).toEqual(['k4']);
    expect([...program.buffers.keys()]).toEqual(['x', 'w', 'b', 'y']);
    expectSameResults(p, program);
  });

  it('leaves a program alone where nothing fuses', () => {
    const once = fuseProgram(p).program;
    expect(fuseProgram(once)).toEqual({ program: once, decisions: [] });
  });
});

describe('FUSION_STEPS', () => {
  it('lists every producer/consumer pair each step could apply to, and checks them', () => {
    const [inline, epilogue] = FUSION_STEPS;
    const ref = (kernelId: string) => ({ kernel: kernelId, map: 0 });
    expect(inline.sites(p)).toEqual([
      { producer: ref('k1'), consumer: ref('k2') }, { producer: ref('k1'), consumer: ref('k4') },
      { producer: ref('k2'), consumer: ref('k3') }, { producer: ref('k3'), consumer: ref('k4') },
    ]);
    expect(epilogue.sites(p)).toEqual([{ producer: ref('k0'), consumer: ref('k1') }]);
    expect(epilogue.check(p, epilogue.sites(p)[0])).toBeNull();
    expect(inline.check(p, { producer: ref('k0'), consumer: ref('k1') })).toBe('the producer is a reduction (many-to-many): fuse it as an epilogue instead');
  });
});
