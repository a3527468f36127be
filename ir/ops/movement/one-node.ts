// Test helper: one node as a RawModel with plain attribute values, for refusal tests that must not
// reach ONNX Runtime and for runs with folding off.

import { expect } from 'vitest';
import type { Attribute, RawModel } from '../../graph.js';
import { lowerGraph } from '../../lower/lower.js';
import { runProgram } from '../../loop/run-program.js';
import { resolveGraph } from '../../resolve.js';
import type { Tensor } from '../../tensor.js';
import { compareTensors } from '../../testing/compare.js';
import type { InputSpec } from '../../testing/check-op.js';
import { oneNodeModel as sharedOneNodeModel } from '../../testing/freight-only.js';

export type SimpleAttr = number | string | readonly number[] | Tensor;

function toAttribute(a: SimpleAttr): Attribute {
  if (typeof a === 'number') return { kind: Number.isInteger(a) ? 'int' : 'float', value: a };
  if (typeof a === 'string') return { kind: 'string', value: a };
  if ('dtype' in a) return { kind: 'tensor', value: a };
  return { kind: 'ints', value: a };
}

/** The shared one-node model (ir/testing/freight-only.ts) with attributes written as plain values. */
export function oneNodeModel(op: string, inputs: readonly InputSpec[], attrs: Readonly<Record<string, SimpleAttr>> = {}, outputs = 1): RawModel {
  const converted = Object.fromEntries(Object.entries(attrs).map(([k, a]) => [k, toAttribute(a)]));
  return sharedOneNodeModel({ op, inputs, attrs: converted, outputs });
}

/** Resolves the node with folding off, so that even all-constant nodes are lowered and run. */
export function runUnfolded(model: RawModel, runtime: Readonly<Record<string, Tensor>> = {}): Map<string, Tensor> {
  const graph = resolveGraph(model, { foldLimit: 0 });
  expect(graph.nodes.length).toBe(1);
  return runProgram(lowerGraph(graph), runtime);
}

export function expectSame(actual: Tensor, expected: Tensor): void {
  const cmp = compareTensors(actual, expected);
  expect(cmp.detail ?? 'ok').toBe('ok');
}
