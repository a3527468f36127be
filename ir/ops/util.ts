// Helpers shared by operator definitions: broadcasting, axes, and the map of an elementwise
// operator. Small on purpose; anything specific to one family stays in that family's file.

import { FreightError } from '../errors.js';
import { c, v, type Expr } from '../expr.js';
import type { Dim, MapOp, Memlet } from '../program.js';
import type { ValueInfo } from '../graph.js';
import { formatShape, sizeOf, stridesOf, type DType, type Shape } from '../tensor.js';
import type { BufferRef, ResolveContext } from './op.js';

/** Input `i`, which must be present; `what` names it ('X', 'scale'). */
export function requireInput(ctx: ResolveContext, i: number, what: string): ValueInfo {
  const info = ctx.input(i);
  if (!info) throw new FreightError(`its ${what} input (input ${i}) is missing`);
  return info;
}

export function requireDtype(info: ValueInfo, allowed: readonly DType[], what: string): void {
  if (!allowed.includes(info.dtype)) {
    throw new FreightError(`its ${what} has dtype ${info.dtype}, but it must be ${allowed.join(' or ')}`);
  }
}

/** Numpy-style (multidirectional) broadcast of several shapes. */
export function broadcastShapes(shapes: readonly Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else throw new FreightError(`shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together`);
    }
  }
  return out;
}

/** Normalizes a possibly negative axis for a tensor of `rank` dimensions. */
export function normalizeAxis(axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new FreightError(`axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

export function normalizeAxes(axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => normalizeAxis(a, rank));
  if (new Set(out).size !== out.length) throw new FreightError(`axes [${axes.join(',')}] repeat an axis`);
  return out;
}

/** Iteration dims named d0, d1, … over `shape` (or `prefix`0, …). */
export function dimsOf(shape: Shape, prefix = 'd'): Dim[] {
  return shape.map((extent, i) => ({ name: `${prefix}${i}`, extent }));
}

export function varsOf(dims: readonly Dim[]): Expr[] {
  return dims.map((d) => v(d.name));
}

/** The index into a buffer of shape `inShape` broadcast to the iteration variables `outIndex`. */
export function broadcastIndex(inShape: Shape, outIndex: readonly Expr[]): Expr[] {
  const offset = outIndex.length - inShape.length;
  return inShape.map((d, i) => (d === 1 ? c(0) : outIndex[offset + i]));
}

/** A memlet reading `buf` broadcast to the output iteration variables. */
export function broadcastRead(buf: BufferRef, outIndex: readonly Expr[]): Memlet {
  return { buffer: buf.name, index: broadcastIndex(buf.shape, outIndex) };
}

/**
 * The map of an elementwise operator: one point per output element, every input read with
 * broadcasting, `body` written in terms of read(0..n-1).
 */
export function elementwiseMap(out: BufferRef, inputs: readonly BufferRef[], body: Expr): MapOp {
  const dims = dimsOf(out.shape);
  const index = varsOf(dims);
  return {
    dims,
    reads: inputs.map((b) => broadcastRead(b, index)),
    body,
    write: { buffer: out.name, index },
  };
}

/** Row-major multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return idx;
}

/** Flat position of a broadcast read: input of `inShape` at the output multi-index `outIdx`. */
export function broadcastOffset(inShape: Shape, outIdx: readonly number[]): number {
  const strides = stridesOf(inShape);
  const offset = outIdx.length - inShape.length;
  let flat = 0;
  for (let i = 0; i < inShape.length; i++) if (inShape[i] !== 1) flat += outIdx[offset + i] * strides[i];
  return flat;
}

export { sizeOf };
