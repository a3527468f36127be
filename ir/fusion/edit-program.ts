// The bookkeeping of one fusion step on a Program: the fused map replaces the consumer, the
// producer's map goes when nothing reads its buffer any more (its kernel with it when empty),
// the dead buffer and its aliases leave the buffer table, and the consumer's kernel records the
// producer's graph nodes. Kernel ids never change, so they stay unique and stable.

import type { Kernel, MapOp, Program } from '../program.js';
import type { MapRef } from './dataflow.js';

/** Position of each graph node in graph order, for the `ops` of fused kernels. */
export type OpOrder = ReadonlyMap<string, number>;

/**
 * Graph order as the program shows it: the order in which ops first appear in its kernels.
 * Exact for a lowered program (one kernel per node, in graph order).
 */
export function graphOrder(p: Program): OpOrder {
  const order = new Map<string, number>();
  for (const k of p.kernels) for (const op of k.ops) if (!order.has(op)) order.set(op, order.size);
  return order;
}

export interface FusionEdit {
  /** The consumer, and the fused map that takes its place. */
  readonly consumer: MapRef;
  readonly fused: MapOp;
  /** The producer: its ops join the consumer's kernel. */
  readonly producer: MapRef;
  /** Remove the producer's map, and with it storage `dead` and every alias of it. */
  readonly removeProducer?: { readonly dead: string };
}

export function applyEdit(p: Program, edit: FusionEdit, order: OpOrder): Program {
  const producerKernel = p.kernels.find((k) => k.id === edit.producer.kernel)!;
  const rank = (op: string): number => order.get(op) ?? order.size;
  const kernels: Kernel[] = [];
  for (const k of p.kernels) {
    let maps = k.maps;
    let ops = k.ops;
    if (k.id === edit.consumer.kernel) {
      maps = maps.map((m, i) => (i === edit.consumer.map ? edit.fused : m));
      ops = [...new Set([...ops, ...producerKernel.ops])].sort((a, b) => rank(a) - rank(b));
    }
    if (k.id === edit.producer.kernel && edit.removeProducer) {
      maps = maps.filter((_, i) => i !== edit.producer.map);
      if (maps.length === 0) continue;
    }
    kernels.push(maps === k.maps && ops === k.ops ? k : { ...k, maps, ops });
  }
  const dead = edit.removeProducer?.dead;
  if (dead === undefined) return { ...p, kernels };
  const buffers = new Map([...p.buffers].filter(([, b]) => !livesIn(p, b.name, dead)));
  return { ...p, buffers, kernels };
}

function livesIn(p: Program, name: string, root: string): boolean {
  for (let b = p.buffers.get(name); b; b = b.aliasOf ? p.buffers.get(b.aliasOf) : undefined) {
    if (b.name === root) return true;
  }
  return false;
}
