// Models for the row-kernel tests: a LayerNorm and a Softmax decomposed as exporters write them
// (ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add; ReduceMax/Sub/Exp/ReduceSum/Div), and the
// single Softmax op, over the last axis of x, with the fused program that plans run.

import { Net } from '../../bench/zoo/net.js';
import { layerNormDecomposed } from '../../bench/zoo/transformer-layers.js';
import { fuseProgram } from '../../ir/fusion/index.js';
import { lowerGraph } from '../../ir/lower/lower.js';
import { importOnnx } from '../../ir/onnx/index.js';
import type { Program } from '../../ir/program.js';
import { resolveGraph } from '../../ir/resolve.js';

export type RowModelName = 'layernorm' | 'softmax-decomposed' | 'softmax';

export interface RowModel {
  readonly bytes: Uint8Array;
  readonly lowered: Program;
  /** After the default fusion plan: one row kernel. */
  readonly fused: Program;
}

export function rowModel(name: RowModelName, shape: readonly number[]): RowModel {
  const net = new Net(7, name);
  const x = net.input('x', 'float', shape);
  const features = shape[shape.length - 1];
  if (name === 'layernorm') {
    layerNormDecomposed(net, x, features, 1e-5, 'ln', 'y');
  } else if (name === 'softmax') {
    net.op('Softmax', [x], { axis: -1 }, '', 'y');
  } else {
    const max = net.op('ReduceMax', [x], { axes: [-1], keepdims: 1 }, 'sm');
    const e = net.op('Exp', [net.op('Sub', [x, max], {}, 'sm')], {}, 'sm');
    const sum = net.op('ReduceSum', [e, net.ints([-1], 'sm')], { keepdims: 1 }, 'sm');
    net.op('Div', [e, sum], {}, 'sm', 'y');
  }
  net.output('y', 'float', shape);
  const bytes = net.encode();
  const lowered = lowerGraph(resolveGraph(importOnnx(bytes), {}));
  return { bytes, lowered, fused: fuseProgram(lowered).program };
}
