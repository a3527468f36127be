// The reference interpreter: executes a resolved graph operator by operator with each operator's
// plain, independent implementation. The oracle for every lowering, transformation and kernel.

import { FreightError } from './errors.js';
import type { Graph } from './graph.js';
import { opDef } from './ops/index.js';
import { formatShape, sameShape, type Tensor } from './tensor.js';

export function runReference(g: Graph, inputs: Readonly<Record<string, Tensor>>): Map<string, Tensor> {
  const env = new Map<string, Tensor>(g.constants);
  for (const name of g.inputs) env.set(name, checkInput(g, name, inputs[name]));
  const lastUse = lastUses(g);
  g.nodes.forEach((node, step) => {
    const op = opDef(node.op)!;
    const args = node.inputs.map((name) => (name ? env.get(name)! : undefined));
    // Inferred again rather than looked up: an omitted output ('') has no value to look up.
    const outInfos = op.infer(node.attrs, node.inputs.map((name) => (name ? g.values.get(name) : undefined)));
    const results = op.reference(node.attrs, args, outInfos);
    node.outputs.forEach((name, i) => { if (name) env.set(name, results[i]); });
    // Free intermediates after their last reader, so that big models fit.
    for (const name of node.inputs) if (name && lastUse.get(name) === step && !g.constants.has(name)) env.delete(name);
  });
  return new Map(g.outputs.map((name) => [name, env.get(name)!]));
}

/** Validates a user-provided input against the graph's binding of it. */
export function checkInput(g: { values: ReadonlyMap<string, { dtype: string; shape: readonly number[] }> }, name: string, t: Tensor | undefined): Tensor {
  const info = g.values.get(name)!;
  if (!t) throw new FreightError(`input '${name}' is missing`);
  if (t.dtype !== info.dtype) throw new FreightError(`input '${name}' has dtype ${t.dtype}, but the model expects ${info.dtype}`);
  if (!sameShape(t.shape, info.shape)) {
    throw new FreightError(`input '${name}' has shape ${formatShape(t.shape)}, but the model expects ${formatShape(info.shape)}`);
  }
  return t;
}

function lastUses(g: Graph): Map<string, number> {
  const last = new Map<string, number>();
  g.nodes.forEach((n, i) => { for (const name of n.inputs) if (name) last.set(name, i); });
  for (const name of g.outputs) last.set(name, Infinity);
  return last;
}
