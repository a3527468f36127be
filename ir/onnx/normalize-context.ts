// What opset normalization rules share: the graph's initializers (to which rules add constants
// for attributes that became inputs), fresh unique names, which values are read, and small
// helpers to read attributes leniently (an int where a float is expected is fine).

import { FreightError } from '../errors.js';
import type { Attribute, RawGraph, RawNode } from '../graph.js';
import type { Tensor } from '../tensor.js';

/** A rule rewrites one node into its opset-21 form; undefined leaves the node as it is. */
export type Rule = (node: RawNode, opset: number, ctx: NormalizeContext) => readonly RawNode[] | undefined;

export class NormalizeContext {
  readonly initializers: Map<string, Tensor>;
  /** Every name in use: values and nodes, so that a fresh name collides with neither. */
  private readonly taken = new Set<string>();
  private readonly read = new Set<string>();

  constructor(graph: RawGraph) {
    this.initializers = new Map(graph.initializers);
    for (const name of graph.initializers.keys()) this.taken.add(name);
    for (const v of graph.inputs) this.taken.add(v.name);
    for (const v of graph.outputs) this.read.add(v.name);
    for (const n of graph.nodes) {
      this.taken.add(n.name);
      for (const v of n.outputs) this.taken.add(v);
      for (const v of n.inputs) this.read.add(v);
    }
  }

  /** `base`, or `base_1`, `base_2`, ... : the first name not yet used by a value or a node. */
  fresh(base: string): string {
    let name = base;
    for (let k = 1; this.taken.has(name); k++) name = `${base}_${k}`;
    this.taken.add(name);
    return name;
  }

  /** Adds `t` as an initializer under a fresh name based on `base`; returns the name. */
  constant(base: string, t: Tensor): string {
    const name = this.fresh(base);
    this.initializers.set(name, t);
    return name;
  }

  /** Whether some node reads `name` or the graph outputs it. */
  isRead(name: string): boolean {
    return this.read.has(name);
  }
}

export function describe(node: RawNode): string {
  return `node "${node.name}" (${node.op})`;
}

/** A number attribute (float or int), or undefined when absent. */
export function numberAttr(node: RawNode, name: string): number | undefined {
  const a = node.attrs[name];
  if (a === undefined) return undefined;
  if (a.kind === 'float' || a.kind === 'int') return a.value;
  throw wrongKind(node, name, a, 'a number');
}

/** A list-of-numbers attribute (floats or ints), or undefined when absent. */
export function numbersAttr(node: RawNode, name: string): readonly number[] | undefined {
  const a = node.attrs[name];
  if (a === undefined) return undefined;
  if (a.kind === 'floats' || a.kind === 'ints') return a.value;
  throw wrongKind(node, name, a, 'a list of numbers');
}

export function stringAttr(node: RawNode, name: string): string | undefined {
  const a = node.attrs[name];
  if (a === undefined) return undefined;
  if (a.kind === 'string') return a.value;
  throw wrongKind(node, name, a, 'a string');
}

function wrongKind(node: RawNode, name: string, a: Attribute, expected: string): FreightError {
  return new FreightError(`attribute "${name}" of ${describe(node)} should be ${expected}, not ${a.kind}.`);
}

export function requiredNumbers(node: RawNode, name: string, opset: number): readonly number[] {
  const v = numbersAttr(node, name);
  if (v === undefined) throw new FreightError(`${describe(node)} has no "${name}" attribute, which opset ${opset} requires.`);
  return v;
}

export function withoutAttrs(attrs: Readonly<Record<string, Attribute>>, ...names: string[]): Record<string, Attribute> {
  const out: Record<string, Attribute> = {};
  for (const [k, v] of Object.entries(attrs)) if (!names.includes(k)) out[k] = v;
  return out;
}

/** Omitted optional inputs at the end are dropped, as ONNX writes them. */
export function trimInputs(inputs: readonly string[]): string[] {
  const out = [...inputs];
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

export const intAttr = (value: number): Attribute => ({ kind: 'int', value });
export const stringAttrValue = (value: string): Attribute => ({ kind: 'string', value });
