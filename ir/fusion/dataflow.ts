// Who writes and who reads each storage buffer of a Program, and in which order the maps run:
// what every fusion check asks. Programs are immutable, so the analysis is kept per program.

import { storageOf, type MapOp, type Program } from '../program.js';

/** A map of a program: kernel id and index among the kernel's maps. */
export interface MapRef {
  readonly kernel: string;
  readonly map: number;
}

export const formatRef = (r: MapRef): string => `${r.kernel}.m${r.map}`;

export interface PlacedMap {
  readonly ref: MapRef;
  readonly m: MapOp;
  /** Position in execution order over the whole program. */
  readonly at: number;
}

export interface Dataflow {
  /** Every map, in execution order. */
  readonly maps: readonly PlacedMap[];
  find(ref: MapRef): PlacedMap | undefined;
  /** The storage buffer (alias root) that `buffer` lives in. */
  rootOf(buffer: string): string;
  /** The maps that read storage `root` through any of its names, in execution order. */
  readers(root: string): readonly PlacedMap[];
  writers(root: string): readonly PlacedMap[];
}

const cache = new WeakMap<Program, Dataflow>();

export function dataflow(p: Program): Dataflow {
  const known = cache.get(p);
  if (known) return known;
  const roots = new Map<string, string>();
  const rootOf = (buffer: string): string => {
    let r = roots.get(buffer);
    if (r === undefined) roots.set(buffer, r = storageOf(p, buffer).name);
    return r;
  };
  const maps: PlacedMap[] = [];
  const readers = new Map<string, PlacedMap[]>();
  const writers = new Map<string, PlacedMap[]>();
  const add = (index: Map<string, PlacedMap[]>, root: string, x: PlacedMap): void => {
    const list = index.get(root) ?? [];
    if (list[list.length - 1] !== x) list.push(x);
    index.set(root, list);
  };
  for (const k of p.kernels) {
    k.maps.forEach((m, map) => {
      const x: PlacedMap = { ref: { kernel: k.id, map }, m, at: maps.length };
      maps.push(x);
      for (const r of m.reads) add(readers, rootOf(r.buffer), x);
      add(writers, rootOf(m.write.buffer), x);
    });
  }
  const byRef = new Map(maps.map((x) => [formatRef(x.ref), x]));
  const flow: Dataflow = {
    maps,
    find: (ref) => byRef.get(formatRef(ref)),
    rootOf,
    readers: (root) => readers.get(root) ?? [],
    writers: (root) => writers.get(root) ?? [],
  };
  cache.set(p, flow);
  return flow;
}

/** The memlets of `m` that read storage `root`. */
export function readsOfRoot(flow: Dataflow, m: MapOp, root: string): number[] {
  return m.reads.flatMap((r, i) => (flow.rootOf(r.buffer) === root ? [i] : []));
}

/** Storage buffers a map binds: every root it reads, and the one it writes. */
export function bindingCount(flow: Dataflow, m: MapOp): number {
  return new Set([m.write.buffer, ...m.reads.map((r) => r.buffer)].map(flow.rootOf)).size;
}

/**
 * The first map after position `from`, up to and including `to`, that writes one of `roots`:
 * moving a read of those roots from `from` to `to` would see a different value.
 */
export function overwriter(flow: Dataflow, from: number, to: number, roots: ReadonlySet<string>): PlacedMap | undefined {
  return flow.maps.slice(from + 1, to + 1).find((x) => roots.has(flow.rootOf(x.m.write.buffer)));
}
