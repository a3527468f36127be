// Test support: resolves a one-node model from declared input types alone (no ONNX Runtime run),
// so that tests can assert the FreightError a bad node is refused with.

import type { Attribute, Graph, ValueInfo } from '../../graph.js';
import { resolveGraph } from '../../resolve.js';

export const int = (value: number): Attribute => ({ kind: 'int', value });
export const ints = (value: readonly number[]): Attribute => ({ kind: 'ints', value });
export const str = (value: string): Attribute => ({ kind: 'string', value });

/** Resolves `op` on float32 inputs of the given shapes (null: omitted). */
export function resolveOne(op: string, shapes: readonly (readonly number[] | null)[], attrs: Record<string, Attribute> = {}): Graph {
  const inputs: ValueInfo[] = shapes.flatMap((s) => (s ? [{ dtype: 'float32' as const, shape: s }] : []));
  return resolveGraph({
    opset: 21,
    irVersion: 8,
    producer: 'freight-test',
    graph: {
      name: `${op}-refusal`,
      nodes: [{ name: 'node', op, domain: '', inputs: shapes.map((s, i) => (s ? `in${i}` : '')), outputs: ['out0'], attrs }],
      inputs: shapes.flatMap((s, i) => (s ? [{ name: `in${i}`, dtype: inputs[0].dtype, shape: [...s] }] : [])),
      outputs: [{ name: 'out0', dtype: 'float32', shape: null }],
      initializers: new Map(),
    },
  });
}
