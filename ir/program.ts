// The loop level of freight's IR: the data-centric part. A Program is a list of kernels; a kernel
// is a list of maps run in order; a map is a parallel iteration domain, a scalar body and a memlet
// for every read and for its write. Because every access is explicit, the bytes any schedule moves
// can be counted from here.
//
// Semantics of one map, for every point of its parallel dims (those without `reduce`):
//   without reduce dims:  W[write.index] = body
//   with reduce dims:     acc = identity(wcr); for every point of the reduce dims:
//                           acc = wcr(acc, body)
//                         W[write.index] = epilogue ?? acc      (epilogue sees `acc`)
// A memlet indexes its buffer in the buffer's own shape. A read with `pad` is guarded: an index
// outside the buffer reads `pad` (padding, out-of-range gathers); any other read must be in bounds.
// Values are stored converted to the buffer's dtype (float32 rounding, integer truncation, bool).

import { readsOf, type Expr } from './expr.js';
import type { DType, Shape, Tensor } from './tensor.js';

export type Wcr = 'sum' | 'max' | 'min' | 'prod';

export const WCR_IDENTITY: Readonly<Record<Wcr, number>> = {
  sum: 0, max: -Infinity, min: Infinity, prod: 1,
};

export interface Dim {
  readonly name: string;
  readonly extent: number;
  /** A reduction dimension: its points combine into one write through the map's `wcr`. */
  readonly reduce?: boolean;
}

export interface Memlet {
  readonly buffer: string;
  /** One index expression per dimension of the buffer. */
  readonly index: readonly Expr[];
  /** Guarded read: the value of out-of-bounds elements. */
  readonly pad?: number;
}

export interface WriteMemlet {
  readonly buffer: string;
  readonly index: readonly Expr[];
  /** Write-conflict resolution of a reduction map. */
  readonly wcr?: Wcr;
}

export interface MapOp {
  readonly dims: readonly Dim[];
  readonly reads: readonly Memlet[];
  readonly body: Expr;
  readonly write: WriteMemlet;
  /** Reduction maps only: the value written, in terms of `acc` and reads over parallel dims. */
  readonly epilogue?: Expr;
}

export interface Kernel {
  readonly id: string;
  /** Names of the graph nodes this kernel computes. */
  readonly ops: readonly string[];
  readonly maps: readonly MapOp[];
}

export type BufferKind = 'input' | 'output' | 'constant' | 'intermediate' | 'transient';

export interface Buffer {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly kind: BufferKind;
  /** Shares storage with this buffer (same elements in row-major order): Reshape and friends. */
  readonly aliasOf?: string;
}

export interface Program {
  readonly buffers: ReadonlyMap<string, Buffer>;
  readonly constants: ReadonlyMap<string, Tensor>;
  readonly inputs: readonly string[];
  /** The graph's outputs, each with the buffer that holds it. */
  readonly outputs: readonly { readonly name: string; readonly buffer: string }[];
  readonly kernels: readonly Kernel[];
}

/** The buffer whose storage `name` uses (itself unless it is an alias). */
export function storageOf(p: Program, name: string): Buffer {
  let b = p.buffers.get(name);
  if (!b) throw new Error(`unknown buffer ${name}`);
  while (b.aliasOf) {
    const next = p.buffers.get(b.aliasOf);
    if (!next) throw new Error(`buffer ${b.name} aliases unknown ${b.aliasOf}`);
    b = next;
  }
  return b;
}

/** The reads that `roots` need, ordered so that an indirect read comes after the reads its index uses. */
export function readOrder(m: MapOp, roots: readonly Expr[]): number[] {
  const order: number[] = [];
  const visit = (r: number): void => {
    if (order.includes(r)) return;
    for (const e of m.reads[r].index) for (const dep of readsOf(e)) visit(dep);
    order.push(r);
  };
  for (const e of roots) for (const r of readsOf(e)) visit(r);
  return order;
}
