// `freight inspect MODEL`: what a model is before freight runs it — inputs and outputs with
// shapes, the operator histogram, parameters, FLOPs (counted from the lowered maps), the kernels
// left after the default fusion plan, and the operators freight does not support. A model with
// unsupported operators or unbound dynamic dimensions is still described; only a broken model is
// an error.

import Table from 'cli-table3';
import type { DeclaredDim, Graph, RawModel, ValueDecl } from '../../ir/graph.js';
import { fuseProgram } from '../../ir/fusion/index.js';
import { lowerGraph } from '../../ir/lower/lower.js';
import { loadOnnxFile } from '../../ir/onnx/index.js';
import type { Program } from '../../ir/program.js';
import { operatorType, resolveGraph, unsupportedOperators } from '../../ir/resolve.js';
import { bytesLowerBound, parameterCount, programFlops } from '../../ir/stats.js';
import { sizeOf } from '../../ir/tensor.js';

export interface TensorSummary {
  readonly name: string;
  readonly dtype: string;
  /** Bound shape when resolved; else as declared (symbolic names, null for unknown). */
  readonly shape: readonly DeclaredDim[] | null;
}

export interface ModelReport {
  readonly model: string;
  readonly producer: string;
  readonly opset: number;
  readonly irVersion: number;
  readonly inputs: readonly TensorSummary[];
  readonly outputs: readonly TensorSummary[];
  readonly nodes: number;
  /** Node count per operator type, as imported. */
  readonly operators: Readonly<Record<string, number>>;
  readonly parameters: number;
  readonly unsupported: readonly { readonly op: string; readonly nodes: readonly string[] }[];
  /** Present once the model resolves (all operators supported, every dimension bound). */
  readonly resolved?: {
    readonly nodes: number;
    readonly kernels: number;
    /** Kernels after the default fusion plan (what the webgpu backend dispatches). */
    readonly fusedKernels: number;
    readonly flops: number;
    readonly bytesLowerBound: number;
  };
  /** Why the model could not be resolved, when it could not. */
  readonly note?: string;
}

export interface InspectOptions {
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
}

export interface Inspection {
  readonly report: ModelReport;
  /** The resolved graph, its lowered program and that program fused, when the model resolves. */
  readonly graph?: Graph;
  readonly program?: Program;
  readonly fused?: Program;
}

export function inspectModel(path: string, options: InspectOptions = {}): Inspection {
  const raw = loadOnnxFile(path);
  const base = describeRaw(path, raw);
  const unbound = unboundInputs(raw.graph.inputs, options.shapes ?? {});
  if (base.unsupported.length > 0 || unbound.length > 0) {
    const note = base.unsupported.length > 0
      ? 'unsupported operators: the model cannot be run until freight supports them'
      : `dynamic dimensions of ${unbound.map((n) => `'${n}'`).join(', ')} are unbound; bind them with --shape NAME=D0,D1,... to resolve the model`;
    return { report: { ...base, note } };
  }
  const graph = resolveGraph(raw, options);
  const program = lowerGraph(graph);
  const fused = fuseProgram(program).program;
  const bound = (d: ValueDecl): TensorSummary => ({ name: d.name, dtype: d.dtype, shape: graph.values.get(d.name)?.shape ?? d.shape });
  const report: ModelReport = {
    ...base,
    inputs: raw.graph.inputs.map(bound),
    outputs: raw.graph.outputs.map(bound),
    parameters: parameterCount(program),
    resolved: {
      nodes: graph.nodes.length,
      kernels: program.kernels.length,
      fusedKernels: fused.kernels.length,
      flops: programFlops(program),
      bytesLowerBound: bytesLowerBound(program),
    },
  };
  return { report, graph, program, fused };
}

function describeRaw(path: string, raw: RawModel): ModelReport {
  const operators: Record<string, number> = {};
  for (const n of raw.graph.nodes) operators[operatorType(n)] = (operators[operatorType(n)] ?? 0) + 1;
  const unsupported = unsupportedOperators(raw.graph.nodes);
  let parameters = 0;
  for (const t of raw.graph.initializers.values()) parameters += sizeOf(t.shape);
  return {
    model: path,
    producer: raw.producer,
    opset: raw.opset,
    irVersion: raw.irVersion,
    inputs: raw.graph.inputs.map((d) => ({ name: d.name, dtype: d.dtype, shape: d.shape })),
    outputs: raw.graph.outputs.map((d) => ({ name: d.name, dtype: d.dtype, shape: d.shape })),
    nodes: raw.graph.nodes.length,
    operators: Object.fromEntries(Object.entries(operators).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    parameters,
    unsupported: [...unsupported].map(([op, nodes]) => ({ op, nodes })),
  };
}

function unboundInputs(inputs: readonly ValueDecl[], shapes: Readonly<Record<string, readonly number[]>>): string[] {
  return inputs.filter((d) => !shapes[d.name] && (!d.shape || d.shape.some((x) => typeof x !== 'number'))).map((d) => d.name);
}

const showShape = (s: TensorSummary['shape']): string => (s ? `[${s.map((d) => d ?? '?').join(', ')}]` : 'unknown rank');

/** Human-readable form of a report. */
export function formatReport(r: ModelReport): string {
  const lines = [`${r.model}: ONNX IR ${r.irVersion}, opset ${r.opset}${r.producer ? `, produced by ${r.producer}` : ''}`];
  const io = new Table({ head: ['', 'name', 'dtype', 'shape'], style: { head: [], border: [] } });
  for (const t of r.inputs) io.push(['input', t.name, t.dtype, showShape(t.shape)]);
  for (const t of r.outputs) io.push(['output', t.name, t.dtype, showShape(t.shape)]);
  lines.push(io.toString());
  lines.push(`${r.nodes} nodes, ${r.parameters.toLocaleString('en-US')} parameters`);
  lines.push(`operators: ${Object.entries(r.operators).map(([op, n]) => `${op} ${n}`).join(', ')}`);
  if (r.resolved) {
    const { nodes, kernels, fusedKernels, flops, bytesLowerBound } = r.resolved;
    lines.push(`after folding: ${nodes} nodes → ${kernels} kernels (${fusedKernels} after fusion), ${(flops / 1e6).toFixed(2)} MFLOPs, ${(bytesLowerBound / 1e6).toFixed(2)} MB compulsory traffic`);
  }
  for (const u of r.unsupported) lines.push(`unsupported: ${u.op} (${u.nodes.length} node${u.nodes.length > 1 ? 's' : ''}: ${u.nodes.slice(0, 5).join(', ')}${u.nodes.length > 5 ? ', …' : ''})`);
  if (r.note) lines.push(`note: ${r.note}`);
  return lines.join('\n');
}
