// Resolution: RawModel → Graph. One walk in topological order infers every value's dtype and
// static shape, reads each node's static parameters, and folds whatever is known at compile time
// (so Shape → Gather → Concat → Reshape chains collapse to constants); then dead nodes go.

import { FreightError } from './errors.js';
import type { Attribute, Graph, Node, RawModel, RawNode, ValueDecl, ValueInfo } from './graph.js';
import { opDef } from './ops/index.js';
import type { OpDef, ResolveContext } from './ops/op.js';
import { DTYPES, formatShape, sizeOf, type DType, type Tensor } from './tensor.js';
import { topologicalOrder } from './topo.js';

export interface ResolveOptions {
  /** Shapes bound by the user (`--shape NAME=D0,D1`), by input name. */
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
  /** Folding a node whose outputs exceed this many elements (and its inputs) is skipped. */
  readonly foldLimit?: number;
}

export function resolveGraph(model: RawModel, options: ResolveOptions = {}): Graph {
  const raw = model.graph;
  reportUnsupported(raw.nodes);
  const order = topologicalOrder(raw);

  const values = new Map<string, ValueInfo>();
  const constants = new Map<string, Tensor>(raw.initializers);
  for (const [name, t] of raw.initializers) values.set(name, { dtype: t.dtype, shape: t.shape });
  const inputs = bindInputs(raw.inputs, options.shapes ?? {}, values);

  const foldLimit = options.foldLimit ?? 1 << 16;
  const nodes: Node[] = [];
  for (const rawNode of order) {
    const op = opDef(rawNode.op)!;
    const node = withNodeContext(rawNode, () => resolveNode(rawNode, op, model.opset, values, constants, foldLimit));
    if (node) nodes.push(node);
  }

  const outputs = raw.outputs.map((decl) => checkOutput(decl, values));
  return eliminateDeadCode({ name: raw.name, opset: model.opset, producer: model.producer, inputs, outputs, values, constants, nodes });
}

/** The operator type of a node as users name it: 'Conv', or 'com.microsoft.FusedConv'. */
export function operatorType(n: RawNode): string {
  return n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.op}` : n.op;
}

/** Node names per operator type freight does not support, in file order. */
export function unsupportedOperators(nodes: readonly RawNode[]): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const n of nodes) {
    const type = operatorType(n);
    if (type !== n.op || !opDef(n.op)) byType.set(type, [...(byType.get(type) ?? []), n.name]);
  }
  return byType;
}

function reportUnsupported(nodes: readonly RawNode[]): void {
  const byType = unsupportedOperators(nodes);
  if (byType.size === 0) return;
  const parts = [...byType].map(([type, names]) =>
    `${type} (node${names.length > 1 ? 's' : ''} ${names.slice(0, 3).map((s) => `'${s}'`).join(', ')}${names.length > 3 ? `, and ${names.length - 3} more` : ''})`);
  throw new FreightError(`the model uses operators freight does not support: ${parts.join('; ')}`);
}

function bindInputs(decls: readonly ValueDecl[], shapes: Readonly<Record<string, readonly number[]>>, values: Map<string, ValueInfo>): string[] {
  const names = new Set(decls.map((d) => d.name));
  for (const name of Object.keys(shapes)) {
    if (!names.has(name)) {
      throw new FreightError(`--shape names '${name}', which is not an input of the model (inputs: ${[...names].join(', ') || 'none'})`);
    }
  }
  for (const decl of decls) {
    if (!(DTYPES as readonly string[]).includes(decl.dtype)) {
      throw new FreightError(`input '${decl.name}' has element type ${decl.dtype}, which freight does not support`);
    }
    const info = { dtype: decl.dtype as DType, shape: bindShape(decl, shapes[decl.name]) };
    if (sizeOf(info.shape) > MAX_ELEMENTS) throw new FreightError(`input '${decl.name}' of shape ${formatShape(info.shape)} has more elements than freight supports (2^31 - 1)`);
    values.set(decl.name, info);
  }
  return decls.map((d) => d.name);
}

function bindShape(decl: ValueDecl, bound: readonly number[] | undefined): number[] {
  const hint = `bind it with --shape ${decl.name}=D0,D1,...`;
  if (bound) {
    if (bound.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new FreightError(`--shape ${decl.name}=${bound.join(',')} has a dimension that is not a non-negative integer`);
    }
    if (decl.shape && decl.shape.length !== bound.length) {
      throw new FreightError(`--shape ${decl.name}=${bound.join(',')} has rank ${bound.length}, but the model declares rank ${decl.shape.length}`);
    }
    decl.shape?.forEach((d, i) => {
      if (typeof d === 'number' && d !== bound[i]) {
        throw new FreightError(`--shape ${decl.name}=${bound.join(',')} sets axis ${i} to ${bound[i]}, but the model fixes it to ${d}`);
      }
    });
    return [...bound];
  }
  if (!decl.shape) throw new FreightError(`input '${decl.name}' has no declared shape; ${hint}`);
  return decl.shape.map((d, i) => {
    if (typeof d === 'number') return d;
    const what = typeof d === 'string' ? `dynamic dimension '${d}'` : 'an unknown dimension';
    throw new FreightError(`input '${decl.name}' has ${what} at axis ${i}; ${hint}`);
  });
}

/** Values freight can hold: non-negative integer dims and at most 2^31 - 1 elements. */
const MAX_ELEMENTS = 2 ** 31 - 1;

function checkSize(name: string, info: ValueInfo): void {
  if (info.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new FreightError(`its output '${name}' would have shape ${formatShape(info.shape)}, which is not a valid shape`);
  }
  if (sizeOf(info.shape) > MAX_ELEMENTS) {
    throw new FreightError(`its output '${name}' would have shape ${formatShape(info.shape)}, more elements than freight supports (2^31 - 1)`);
  }
}

function withNodeContext<T>(node: RawNode, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FreightError) throw new FreightError(`node '${node.name}' (${node.op}): ${e.message}`, { cause: e });
    throw e;
  }
}

function resolveNode(
  raw: RawNode, op: OpDef, opset: number,
  values: Map<string, ValueInfo>, constants: Map<string, Tensor>, foldLimit: number,
): Node | undefined {
  for (const name of raw.inputs) {
    if (name && !values.has(name)) throw new FreightError(`input '${name}' is not produced by any node, initializer or graph input`);
  }
  const ctx = resolveContext(raw, opset, values, constants);
  const { attrs, consumed = [] } = op.resolve(ctx);
  const inputs = raw.inputs.map((name, i) => (consumed.includes(i) ? '' : name));
  const infos = inputs.map((name) => (name ? values.get(name) : undefined));
  const outInfos = op.infer(attrs, infos);
  outInfos.forEach((info, i) => checkSize(raw.outputs[i] ?? `output ${i}`, info));
  if (outInfos.length < raw.outputs.filter(Boolean).length) {
    throw new FreightError(`it declares ${raw.outputs.length} outputs, but the operator produces ${outInfos.length}`);
  }
  raw.outputs.forEach((name, i) => { if (name) values.set(name, outInfos[i]); });
  const node: Node = { name: raw.name, op: raw.op, attrs, inputs, outputs: raw.outputs };

  const folded = fold(node, op, infos, outInfos, constants, foldLimit);
  if (!folded) return node;
  raw.outputs.forEach((name, i) => { if (name) constants.set(name, folded[i]); });
  return undefined;
}

function fold(
  node: Node, op: OpDef, infos: readonly (ValueInfo | undefined)[], outInfos: readonly ValueInfo[],
  constants: ReadonlyMap<string, Tensor>, foldLimit: number,
): Tensor[] | undefined {
  const fromShapes = op.foldFromShapes?.(node.attrs, infos);
  if (fromShapes) return fromShapes;
  const present = node.inputs.filter(Boolean);
  if (!present.every((name) => constants.has(name))) return undefined;
  const inElements = present.reduce((n, name) => n + constants.get(name)!.data.length, 0);
  const outElements = outInfos.reduce((n, o) => n + sizeOf(o.shape), 0);
  if (outElements > Math.max(foldLimit, inElements)) return undefined;
  return op.reference(node.attrs, node.inputs.map((name) => (name ? constants.get(name) : undefined)), outInfos);
}

function resolveContext(
  node: RawNode, opset: number, values: ReadonlyMap<string, ValueInfo>, constants: ReadonlyMap<string, Tensor>,
): ResolveContext {
  const name = (i: number): string => node.inputs[i] ?? '';
  const attr = (key: string): Attribute | undefined => node.attrs[key];
  function typed<K extends Attribute['kind']>(key: string, kinds: readonly K[], fallback: unknown): unknown {
    const a = attr(key);
    if (!a) {
      if (fallback === undefined) throw new FreightError(`attribute '${key}' is required`);
      return fallback;
    }
    if (!(kinds as readonly string[]).includes(a.kind)) {
      throw new FreightError(`attribute '${key}' is of kind ${a.kind}, expected ${kinds.join(' or ')}`);
    }
    return a.value;
  }
  return {
    node,
    opset,
    inputCount: node.inputs.length,
    input: (i) => (name(i) ? values.get(name(i)) : undefined),
    constant: (i) => (name(i) ? constants.get(name(i)) : undefined),
    requireConstant(i, what) {
      const t = name(i) ? constants.get(name(i)) : undefined;
      if (!t) {
        throw new FreightError(name(i)
          ? `its ${what} ('${name(i)}') must be known at compile time, but it is computed at run time (if it depends on dynamic input dimensions, bind them with --shape)`
          : `its ${what} input is missing`);
      }
      return t;
    },
    attr,
    int: (key, fallback) => typed(key, ['int'], fallback) as number,
    float: (key, fallback) => typed(key, ['float', 'int'], fallback) as number,
    string: (key, fallback) => typed(key, ['string'], fallback) as string,
    ints: (key, fallback) => [...(typed(key, ['ints'], fallback) as number[])],
    floats: (key, fallback) => [...(typed(key, ['floats', 'ints'], fallback) as number[])],
  };
}

function checkOutput(decl: ValueDecl, values: ReadonlyMap<string, ValueInfo>): string {
  const info = values.get(decl.name);
  if (!info) throw new FreightError(`graph output '${decl.name}' is not produced by any node, initializer or input`);
  const declared = decl.shape;
  const mismatch = declared && (declared.length !== info.shape.length
    || declared.some((d, i) => typeof d === 'number' && d !== info.shape[i]));
  if (mismatch) {
    const shown = `[${declared.map((d) => d ?? '?').join(',')}]`;
    throw new FreightError(`graph output '${decl.name}' is declared with shape ${shown} but computes to ${formatShape(info.shape)}; the model's shapes are inconsistent`);
  }
  return decl.name;
}

/** Drops nodes no output depends on, and constants no live node reads. */
export function eliminateDeadCode(g: Graph): Graph {
  const needed = new Set(g.outputs);
  const live: Node[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i];
    if (!n.outputs.some((o) => needed.has(o))) continue;
    live.push(n);
    for (const name of n.inputs) if (name) needed.add(name);
  }
  live.reverse();
  const constants = new Map([...g.constants].filter(([name]) => needed.has(name)));
  const produced = new Set(live.flatMap((n) => n.outputs));
  const values = new Map([...g.values].filter(([name]) => needed.has(name) || produced.has(name) || g.inputs.includes(name)));
  return { ...g, nodes: live, constants, values };
}
