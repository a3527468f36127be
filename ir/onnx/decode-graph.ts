// Reads an ONNX GraphProto into a RawGraph, before opset normalization: initializers, Constant
// nodes turned into initializers, declared inputs and outputs, nodes with decoded attributes and a
// stable name each. Checks that every value has exactly one producer and that every value read
// is produced somewhere, so later stages never see a dangling or doubly defined name.

import type { onnx as pb } from 'onnx-proto';
import { FreightError } from '../errors.js';
import type { Attribute, RawGraph, RawNode, ValueDecl } from '../graph.js';
import type { Tensor } from '../tensor.js';
import { decodeAttribute } from './decode-attribute.js';
import { decodeTensor, type ExternalReader } from './decode-tensor.js';
import { decodeValueDecl } from './decode-value-decl.js';
import { constantValue } from './constant-node.js';

export function decodeGraph(g: pb.IGraphProto, readExternal: ExternalReader): RawGraph {
  const readTensor = (t: pb.ITensorProto, what: string): Tensor => decodeTensor(t, what, readExternal);
  /** Every value name and what produces it, for the single-producer check and error messages. */
  const producers = new Map<string, string>();
  const define = (name: string, by: string): void => {
    const before = producers.get(name);
    if (before !== undefined) throw new FreightError(`value "${name}" is produced twice: by ${before} and by ${by}.`);
    producers.set(name, by);
  };

  const initializers = new Map<string, Tensor>();
  for (const t of g.initializer ?? []) {
    const name = t.name ?? '';
    if (name === '') throw new FreightError('an initializer has no name.');
    define(name, `initializer "${name}"`);
    initializers.set(name, readTensor(t, `initializer "${name}"`));
  }
  const sparse = g.sparseInitializer ?? [];
  if (sparse.length > 0) {
    const name = sparse[0].values?.name ?? '';
    throw new FreightError(`sparse initializer "${name}" is not supported; store it as a dense initializer.`);
  }

  const inputs: ValueDecl[] = [];
  const declared = new Set<string>();
  for (const v of g.input ?? []) {
    const decl = decodeValueDecl(v, 'a graph input');
    if (declared.has(decl.name)) throw new FreightError(`graph input "${decl.name}" is declared twice.`);
    declared.add(decl.name);
    // An input with an initializer of the same name is a constant with an overridable default;
    // freight treats it as the constant.
    if (initializers.has(decl.name)) continue;
    define(decl.name, `graph input "${decl.name}"`);
    inputs.push(decl);
  }

  const protos = g.node ?? [];
  const names = nodeNames(protos);
  const nodes: RawNode[] = [];
  protos.forEach((p, index) => {
    const node = decodeNode(p, names[index], readTensor);
    for (const out of node.outputs) if (out !== '') define(out, `node "${node.name}" (${node.op})`);
    if (node.op === 'Constant' && node.domain === '') {
      initializers.set(node.outputs[0], constantValue(node));
    } else {
      nodes.push(node);
    }
  });

  for (const node of nodes) {
    for (const input of node.inputs) {
      if (input !== '' && !producers.has(input)) {
        throw new FreightError(
          `node "${node.name}" (${node.op}) reads "${input}", which no node, graph input or initializer produces.`,
        );
      }
    }
  }
  const outputs: ValueDecl[] = [];
  const seen = new Set<string>();
  for (const v of g.output ?? []) {
    const decl = decodeValueDecl(v, 'a graph output');
    if (seen.has(decl.name)) throw new FreightError(`graph output "${decl.name}" is declared twice.`);
    seen.add(decl.name);
    if (!producers.has(decl.name)) {
      throw new FreightError(`graph output "${decl.name}" is not produced by any node, graph input or initializer.`);
    }
    outputs.push(decl);
  }
  return { name: g.name ?? '', nodes, inputs, outputs, initializers };
}

/** Node names as written, unnamed nodes as `${op}_${index}` (made unique if that name is taken). */
function nodeNames(protos: readonly pb.INodeProto[]): string[] {
  const explicit = new Map<string, number>();
  protos.forEach((p, i) => {
    const name = p.name ?? '';
    if (name === '') return;
    const other = explicit.get(name);
    if (other !== undefined) throw new FreightError(`nodes ${other} and ${i} are both named "${name}".`);
    explicit.set(name, i);
  });
  const taken = new Set(explicit.keys());
  return protos.map((p, i) => {
    if (p.name) return p.name;
    const base = `${p.opType || 'node'}_${i}`;
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  });
}

function decodeNode(
  p: pb.INodeProto,
  name: string,
  readTensor: (t: pb.ITensorProto, what: string) => Tensor,
): RawNode {
  const op = p.opType ?? '';
  if (op === '') throw new FreightError(`node "${name}" has no op_type.`);
  const domain = p.domain === 'ai.onnx' ? '' : (p.domain ?? '');
  const outputs = [...(p.output ?? [])];
  const unique = new Set(outputs.filter((o) => o !== ''));
  if (unique.size !== outputs.filter((o) => o !== '').length) {
    throw new FreightError(`node "${name}" (${op}) lists the same output twice.`);
  }
  const attrs: Record<string, Attribute> = {};
  for (const a of p.attribute ?? []) {
    const key = a.name ?? '';
    if (key === '') throw new FreightError(`node "${name}" (${op}) has an attribute without a name.`);
    if (Object.hasOwn(attrs, key)) throw new FreightError(`node "${name}" (${op}) has attribute "${key}" twice.`);
    attrs[key] = decodeAttribute(a, `attribute "${key}" of node "${name}"`, readTensor);
  }
  return { name, op, domain, inputs: [...(p.input ?? [])], outputs, attrs };
}
