// Topological order of a raw graph's nodes (Kahn's algorithm, stable in file order), refusing
// values produced twice and cycles with a sentence that names a node on the cycle.

import { FreightError } from './errors.js';
import type { RawGraph, RawNode } from './graph.js';

export function topologicalOrder(g: RawGraph): RawNode[] {
  const producer = new Map<string, number>();
  g.nodes.forEach((n, i) => {
    for (const out of n.outputs) {
      if (!out) continue;
      if (producer.has(out) || g.initializers.has(out) || g.inputs.some((d) => d.name === out)) {
        throw new FreightError(`value '${out}' is defined twice (again by node '${n.name}' (${n.op}))`);
      }
      producer.set(out, i);
    }
  });

  const waiting = new Array<number>(g.nodes.length).fill(0);
  const consumers = new Map<number, number[]>();
  g.nodes.forEach((n, i) => {
    const deps = new Set(n.inputs.filter((name) => name && producer.has(name)).map((name) => producer.get(name)!));
    waiting[i] = deps.size;
    for (const d of deps) consumers.set(d, [...(consumers.get(d) ?? []), i]);
  });

  const order: RawNode[] = [];
  const ready = g.nodes.map((_, i) => i).filter((i) => waiting[i] === 0);
  while (ready.length > 0) {
    const i = ready.shift()!;
    order.push(g.nodes[i]);
    for (const j of consumers.get(i) ?? []) if (--waiting[j] === 0) ready.push(j);
  }
  if (order.length < g.nodes.length) {
    const onCycle = g.nodes[nodeOnCycle(g, producer, waiting)];
    throw new FreightError(`the graph has a cycle: node '${onCycle.name}' (${onCycle.op}) depends on its own output`);
  }
  return order;
}

/** Walks back from a node that never became ready until a node repeats: that one is on a cycle. */
function nodeOnCycle(g: RawGraph, producer: ReadonlyMap<string, number>, waiting: readonly number[]): number {
  const seen = new Set<number>();
  let i = waiting.findIndex((w) => w > 0);
  while (!seen.has(i)) {
    seen.add(i);
    const dep = g.nodes[i].inputs.map((name) => producer.get(name)).find((j) => j !== undefined && waiting[j] > 0);
    if (dep === undefined) break;
    i = dep;
  }
  return i;
}
