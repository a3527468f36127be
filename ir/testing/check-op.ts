// Operator tests: one node, run by ONNX Runtime (CPU EP, the ground truth), by freight's reference
// interpreter, and by the loop interpreter over the lowered program; all three must agree.
// The node's model goes through the whole path a user's model takes: ONNX bytes → importer (with
// opset normalization) → resolve → reference, and → lower → loop interpreter.

import onnxProto from 'onnx-proto';
import { importOnnx } from '../onnx/index.js';
import { lowerGraph } from '../lower/lower.js';
import type { Program } from '../program.js';
import { runProgram } from '../loop/run-program.js';
import { runReference } from '../reference.js';
import { resolveGraph } from '../resolve.js';
import { formatShape, type DType, type Tensor } from '../tensor.js';
import { compareTensors } from './compare.js';
import { runOrt } from './ort.js';

const { onnx } = onnxProto;

/** An attribute value: integers are INT, other numbers FLOAT; wrap with f()/fs() to force floats. */
export type AttrSpec = number | string | readonly number[] | readonly string[] | Tensor | { float: number } | { floats: readonly number[] };
export const f = (x: number): AttrSpec => ({ float: x });
export const fs = (xs: readonly number[]): AttrSpec => ({ floats: xs });

/** An input: a runtime tensor, a constant (an initializer, e.g. Reshape's shape), or omitted (null). */
export type InputSpec = Tensor | { readonly constant: Tensor } | null;

export interface OpCase {
  readonly op: string;
  readonly inputs: readonly InputSpec[];
  readonly attrs?: Readonly<Record<string, AttrSpec>>;
  /** Number of outputs (default 1). */
  readonly outputs?: number;
  readonly opset?: number;
  readonly rtol?: number;
  /**
   * Why the registered legs (generated kernels) are not held to this case, when they are not:
   * behaviour the target does not define, such as NaN propagation in WGSL or int64 beyond int32.
   */
  readonly legsExempt?: string;
}

/**
 * A further way to execute the lowered program, registered by a test setup file of a layer above
 * ir (the WebGPU plan, from kernels/), so that every operator test also checks it without ir
 * depending on that layer.
 */
export type CheckLeg = (program: Program, inputs: Readonly<Record<string, Tensor>>) => Promise<Map<string, Tensor>>;

const legs = new Map<string, CheckLeg>();

export function registerCheckLeg(name: string, leg: CheckLeg): void {
  legs.set(name, leg);
}

export interface OpResult {
  readonly ort: Tensor[];
  readonly reference: Tensor[];
  readonly loop: Tensor[];
}

/** Runs the case three ways and throws (with a readable message) unless all agree. */
export async function checkOp(c: OpCase): Promise<OpResult> {
  const runtime: Record<string, Tensor> = {};
  c.inputs.forEach((x, i) => { if (x && !('constant' in x)) runtime[`in${i}`] = x; });
  const { outputs } = await runOrt(encodeModel(c), runtime, { warm: false });
  const ortOut = outputNames(c).map((n) => outputs.get(n)!);
  const graph = resolveGraph(importOnnx(encodeModel(c)));
  const refMap = runReference(graph, runtime);
  const program = lowerGraph(graph);
  const loopMap = runProgram(program, runtime);
  const names = outputNames(c);
  const reference = names.map((n) => refMap.get(n)!);
  const loop = names.map((n) => loopMap.get(n)!);
  names.forEach((n, i) => {
    expectAgree(`${c.op} ${n}: reference vs ONNX Runtime`, reference[i], ortOut[i], c.rtol);
    expectAgree(`${c.op} ${n}: loop interpreter vs ONNX Runtime`, loop[i], ortOut[i], c.rtol);
  });
  for (const [legName, leg] of c.legsExempt ? [] : legs) {
    const outs = await leg(program, runtime);
    names.forEach((n, i) => expectAgree(`${c.op} ${n}: ${legName} vs ONNX Runtime`, outs.get(n)!, ortOut[i], c.rtol));
  }
  return { ort: ortOut, reference, loop };
}

function expectAgree(what: string, actual: Tensor, expected: Tensor, rtol = 1e-4): void {
  const cmp = compareTensors(actual, expected, rtol);
  if (!cmp.ok) throw new Error(`${what}: ${cmp.detail} (shapes ${formatShape(actual.shape)} / ${formatShape(expected.shape)})`);
}

const outputNames = (c: OpCase): string[] => Array.from({ length: c.outputs ?? 1 }, (_, i) => `out${i}`);

// --- the node as an ONNX model -------------------------------------------------------------

const ONNX_DTYPE: Record<DType, number> = { float32: 1, int64: 7, int32: 6, bool: 9 };

function tensorProto(name: string, t: Tensor): onnxProto.onnx.ITensorProto {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
  return { name, dataType: ONNX_DTYPE[t.dtype], dims: [...t.shape], rawData: bytes };
}

function attributeProto(name: string, a: AttrSpec): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof a === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(a) };
  if (typeof a === 'number') return Number.isInteger(a) ? { name, type: T.INT, i: a } : { name, type: T.FLOAT, f: a };
  if ('float' in a) return { name, type: T.FLOAT, f: a.float };
  if ('floats' in a) return { name, type: T.FLOATS, floats: [...a.floats] };
  if ('dtype' in a) return { name, type: T.TENSOR, t: tensorProto(name, a) };
  if (a.length > 0 && typeof a[0] === 'string') return { name, type: T.STRINGS, strings: (a as string[]).map((s) => new TextEncoder().encode(s)) };
  const xs = a as readonly number[];
  return xs.every(Number.isInteger) ? { name, type: T.INTS, ints: [...xs] } : { name, type: T.FLOATS, floats: [...xs] };
}

function encodeModel(c: OpCase): Uint8Array {
  const valueInfo = (name: string, t: Tensor): onnxProto.onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: ONNX_DTYPE[t.dtype], shape: { dim: t.shape.map((d) => ({ dimValue: d })) } } },
  });
  const inputNames = c.inputs.map((x, i) => (x ? `in${i}` : ''));
  while (inputNames.length > 0 && inputNames[inputNames.length - 1] === '') inputNames.pop();
  const graph: onnxProto.onnx.IGraphProto = {
    name: `${c.op}-test`,
    node: [{
      name: 'node', opType: c.op, input: inputNames, output: outputNames(c),
      attribute: Object.entries(c.attrs ?? {}).map(([k, a]) => attributeProto(k, a)),
    }],
    initializer: c.inputs.flatMap((x, i) => (x && 'constant' in x ? [tensorProto(`in${i}`, x.constant)] : [])),
    input: c.inputs.flatMap((x, i) => (x && !('constant' in x) ? [valueInfo(`in${i}`, x)] : [])),
    output: outputNames(c).map((name) => ({ name })),
  };
  return onnx.ModelProto.encode({
    irVersion: 8, producerName: 'freight-op-test', opsetImport: [{ domain: '', version: c.opset ?? 21 }], graph,
  }).finish();
}
