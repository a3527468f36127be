// Hand-built programs for the fusion tests: buffers and maps spelled out, so that each test shows
// the access pattern it is about; and the check every fusion test makes, that the fused program
// computes exactly what the unfused one does on the loop interpreter (NaN-poisoned storage, so a
// dropped write shows).

import { expect } from 'vitest';
import { v, type Expr } from '../expr.js';
import { runProgram } from '../loop/run-program.js';
import type { Buffer, BufferKind, Dim, Kernel, MapOp, Program } from '../program.js';
import { normal, rng } from '../testing/random.js';
import { toNumbers, type DType, type Shape, type Tensor } from '../tensor.js';

export function buffer(name: string, shape: Shape, kind: BufferKind = 'intermediate', more: { dtype?: DType; aliasOf?: string } = {}): Buffer {
  return { name, shape, kind, dtype: more.dtype ?? 'float32', ...(more.aliasOf ? { aliasOf: more.aliasOf } : {}) };
}

/** Dims in the order given; names listed in `reduce` are reduction dims. */
export function dims(extents: Readonly<Record<string, number>>, reduce: readonly string[] = []): Dim[] {
  return Object.entries(extents).map(([name, extent]) => ({ name, extent, ...(reduce.includes(name) ? { reduce: true } : {}) }));
}

/** An index of plain iteration variables. */
export const at = (...names: string[]): Expr[] => names.map((n) => v(n));

/** One kernel `id` computing graph node `op`. */
export const kernel = (id: string, op: string, ...maps: MapOp[]): Kernel => ({ id, ops: [op], maps });

/** A program over `buffers`; inputs and outputs are the buffers of those kinds, in order. */
export function programOf(buffers: readonly Buffer[], kernels: readonly Kernel[], constants: Readonly<Record<string, Tensor>> = {}): Program {
  return {
    buffers: new Map(buffers.map((b) => [b.name, b])),
    constants: new Map(Object.entries(constants)),
    inputs: buffers.filter((b) => b.kind === 'input').map((b) => b.name),
    outputs: buffers.filter((b) => b.kind === 'output').map((b) => ({ name: b.name, buffer: b.name })),
    kernels,
  };
}

/** Seeded normal values for every input of `p`. */
export function inputsOf(p: Program, seed = 1): Record<string, Tensor> {
  const r = rng(seed);
  return Object.fromEntries(p.inputs.map((name) => [name, normal(r, p.buffers.get(name)!.shape)]));
}

/** Expects every output of `fused` to equal the unfused program's, element for element; returns them. */
export function expectSameResults(unfused: Program, fused: Program, inputs: Readonly<Record<string, Tensor>> = inputsOf(unfused)): Map<string, Tensor> {
  const want = runProgram(unfused, inputs);
  const got = runProgram(fused, inputs);
  for (const [name, t] of want) {
    expect(Array.from(toNumbers(got.get(name)!)), `output '${name}'`).toEqual(Array.from(toNumbers(t)));
  }
  return got;
}

export const mapCount = (p: Program): number => p.kernels.reduce((n, k) => n + k.maps.length, 0);
