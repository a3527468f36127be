// Where a memlet's access lands: the element offset in its storage buffer for given values of the
// map's dims (an Int32Array indexed like `map.dims`). An affine index (the common case) becomes one
// dot product. Other indices are evaluated; a value read through another memlet (a gather's index)
// stands in as a hash of where it was read, so lanes that read the same index element agree and
// the others scatter, as real indices tend to. Guarded reads load at a clamped offset (as the
// generated code does), indirect ones at indices wrapped into range.

import { affine, readsOf, varsOf, type Expr } from '../ir/expr.js';
import type { MapOp, Memlet, Program, WriteMemlet } from '../ir/program.js';
import { sizeOf, stridesOf } from '../ir/tensor.js';

export type Address = (x: Int32Array) => number;

/** Per buffer table and map: a search costs the same map under many schedules. */
const cache = new WeakMap<Program['buffers'], WeakMap<MapOp, readonly Address[]>>();

/** The address function of every read of `m` (index i) and of its write (last). */
export function memletAddresses(p: Program, m: MapOp): readonly Address[] {
  let perMap = cache.get(p.buffers);
  if (!perMap) cache.set(p.buffers, (perMap = new WeakMap()));
  let addresses = perMap.get(m);
  if (!addresses) perMap.set(m, (addresses = addressesOf(p, m)));
  return addresses;
}

function addressesOf(p: Program, m: MapOp): Address[] {
  const dimIndex = new Map(m.dims.map((d, i) => [d.name, i]));
  const reads: Address[] = [];
  const readAddress = (r: number): Address => (x) => reads[r](x);
  const all = [...m.reads, m.write].map((memlet) => addressOf(p, memlet, dimIndex, readAddress));
  reads.push(...all.slice(0, m.reads.length));
  return all;
}

/** The dims (by name) that read `r`'s index depends on, directly or through the reads it uses. */
export function dimsOfRead(m: MapOp, r: number, seen = new Set<number>()): Set<string> {
  const dims = new Set<string>();
  seen.add(r);
  for (const e of m.reads[r].index) {
    varsOf(e, dims);
    for (const dep of readsOf(e)) if (!seen.has(dep)) for (const d of dimsOfRead(m, dep, seen)) dims.add(d);
  }
  return dims;
}

function addressOf(p: Program, memlet: Memlet | WriteMemlet, dimIndex: ReadonlyMap<string, number>, readAddress: (r: number) => Address): Address {
  const shape = p.buffers.get(memlet.buffer)!.shape;
  const strides = stridesOf(shape);
  const last = Math.max(0, sizeOf(shape) - 1);
  const pad = 'pad' in memlet && memlet.pad !== undefined;
  const forms = memlet.index.map(affine);
  if (forms.every((f) => f !== null)) {
    const coef = new Float64Array(dimIndex.size);
    let offset = 0;
    forms.forEach((f, k) => {
      offset += f!.offset * strides[k];
      for (const [name, a] of Object.entries(f!.coef)) coef[dimIndex.get(name)!] += a * strides[k];
    });
    const dot = (x: Int32Array): number => {
      let a = offset;
      for (let i = 0; i < coef.length; i++) a += coef[i] * x[i];
      return a;
    };
    return pad ? (x) => Math.min(Math.max(dot(x), 0), last) : dot;
  }
  const indirect = memlet.index.some((e) => readsOf(e).size > 0);
  return (x) => {
    let a = 0;
    memlet.index.forEach((e, k) => {
      const i = evaluate(e, x, dimIndex, readAddress);
      a += (indirect ? ((i % shape[k]) + shape[k]) % shape[k] : i) * strides[k];
    });
    return pad ? Math.min(Math.max(a, 0), last) : a;
  };
}

/** An index expression's value; only the operators indices use are exact. */
function evaluate(e: Expr, x: Int32Array, dimIndex: ReadonlyMap<string, number>, readAddress: (r: number) => Address): number {
  const ev = (a: Expr): number => evaluate(a, x, dimIndex, readAddress);
  switch (e.k) {
    case 'const': return e.v;
    case 'var': return x[dimIndex.get(e.name)!];
    case 'read': return hash(readAddress(e.m)(x));
    case 'acc': return 0;
    case 'cast': return e.to === 'float32' ? ev(e.a) : Math.trunc(ev(e.a));
    case 'sel': return ev(e.c) ? ev(e.a) : ev(e.b);
    case 'un': {
      const a = ev(e.a);
      switch (e.op) {
        case 'floor': return Math.floor(a);
        case 'ceil': return Math.ceil(a);
        case 'round': return Math.round(a);
        case 'trunc': return Math.trunc(a);
        case 'neg': return -a;
        case 'abs': return Math.abs(a);
        // Other functions do not shape indices; their operand stands in for them.
        default: return a;
      }
    }
    case 'bin': {
      const a = ev(e.a);
      const b = ev(e.b);
      switch (e.op) {
        case 'add': return a + b;
        case 'sub': return a - b;
        case 'mul': return a * b;
        case 'div': return a / b;
        case 'idiv': return Math.floor(a / b);
        case 'mod': return a - b * Math.floor(a / b);
        case 'min': return Math.min(a, b);
        case 'max': return Math.max(a, b);
        case 'lt': return Number(a < b);
        case 'le': return Number(a <= b);
        case 'gt': return Number(a > b);
        case 'ge': return Number(a >= b);
        case 'eq': return Number(a === b);
        case 'ne': return Number(a !== b);
        case 'and': return Number(Boolean(a) && Boolean(b));
        case 'or': return Number(Boolean(a) || Boolean(b));
        default: return a;
      }
    }
  }
}

/** A deterministic scatter of an element offset (Knuth's multiplicative hash). */
const hash = (a: number): number => Math.imul(a | 0, 0x9e3779b1) >>> 8;
