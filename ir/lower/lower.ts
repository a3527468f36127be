// Lowering: Graph → Program. Each node becomes one kernel of maps (its operator's `lower`);
// fusion comes later, as a transformation. Reshape-like nodes become aliases and move no data,
// except where an alias would make a graph output share storage with another buffer.

import { FreightError } from '../errors.js';
import { v } from '../expr.js';
import type { Graph, Node } from '../graph.js';
import { opDef } from '../ops/index.js';
import type { BufferRef, LowerContext } from '../ops/op.js';
import { dimsOf } from '../ops/util.js';
import type { Buffer, BufferKind, Kernel, MapOp, Program } from '../program.js';
import type { DType, Shape } from '../tensor.js';
import { reshapeIndex } from './reshape-index.js';

export function lowerGraph(g: Graph): Program {
  const buffers = new Map<string, Buffer>();
  const outputs = new Set(g.outputs);
  const declare = (name: string, kind: BufferKind): void => {
    const info = g.values.get(name);
    if (!info) throw new Error(`lowerGraph: value ${name} has no type`);
    buffers.set(name, { name, dtype: info.dtype, shape: info.shape, kind });
  };
  for (const name of g.inputs) declare(name, 'input');
  for (const name of g.constants.keys()) declare(name, 'constant');
  for (const n of g.nodes) for (const o of n.outputs) if (o) declare(o, outputs.has(o) ? 'output' : 'intermediate');

  const kernels: Kernel[] = [];
  g.nodes.forEach((node, i) => {
    const maps = lowerNode(node, `k${i}`, buffers, outputs);
    if (maps.length > 0) kernels.push({ id: `k${i}`, ops: [node.name], maps });
  });

  // A graph output that no node computes (a constant or an input) still needs a buffer of its
  // own: copy it.
  for (const name of new Set(g.outputs)) {
    const b = buffers.get(name)!;
    if (b.kind === 'output') continue;
    const out = `${name}:out`;
    buffers.set(out, { name: out, dtype: b.dtype, shape: b.shape, kind: 'output' });
    kernels.push({ id: `k${g.nodes.length + kernels.length}`, ops: [], maps: [copyMap(b, buffers.get(out)!)] });
  }
  const programOutputs = g.outputs.map((name) => ({ name, buffer: buffers.has(`${name}:out`) ? `${name}:out` : name }));
  return { buffers, constants: g.constants, inputs: g.inputs, outputs: programOutputs, kernels };
}

function lowerNode(node: Node, kernelId: string, buffers: Map<string, Buffer>, outputs: ReadonlySet<string>): MapOp[] {
  const op = opDef(node.op);
  if (!op) throw new FreightError(`node '${node.name}': operator ${node.op} is not supported`);
  const maps: MapOp[] = [];
  const ref = (name: string): BufferRef => {
    const b = buffers.get(name);
    if (!b) throw new Error(`lowerGraph: node ${node.name} reads unknown buffer ${name}`);
    return { name: b.name, dtype: b.dtype, shape: b.shape };
  };
  const ctx: LowerContext = {
    node,
    input(i) {
      const name = node.inputs[i];
      if (!name) throw new Error(`lowerGraph: node ${node.name} has no input ${i}`);
      return ref(name);
    },
    optionalInput: (i) => (node.inputs[i] ? ref(node.inputs[i]) : undefined),
    output: (i) => ref(node.outputs[i]),
    transient(dtype: DType, shape: Shape, hint: string) {
      let name = `${kernelId}.${hint}`;
      for (let k = 1; buffers.has(name); k++) name = `${kernelId}.${hint}${k}`;
      buffers.set(name, { name, dtype, shape: [...shape], kind: 'transient' });
      return ref(name);
    },
    map: (m) => { maps.push(m); },
    alias(output, of) {
      const b = buffers.get(output.name)!;
      if (outputs.has(output.name)) {
        maps.push(copyMap(of, b));
        return;
      }
      buffers.set(output.name, { ...b, aliasOf: of.name });
    },
  };
  op.lower(ctx, node.attrs);
  return maps;
}

/** A map copying `from` into `to` element by element in row-major order (equal sizes). */
function copyMap(from: BufferRef, to: BufferRef): MapOp {
  const dims = dimsOf(to.shape);
  const index = dims.map((d) => v(d.name));
  // Shapes differ when an alias (a reshape) must become a copy: read through the reshape.
  return {
    dims,
    reads: [{ buffer: from.name, index: reshapeIndex(index, to.shape, from.shape) }],
    body: { k: 'read', m: 0 },
    write: { buffer: to.name, index },
  };
}
