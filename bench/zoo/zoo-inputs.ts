// Seeded inputs for a zoo model: the dtypes come from the model's declared inputs, the shapes from
// its `inputs(size)` binding. Floats are unit normal, like normalized images or hidden states;
// integer inputs of the zoo are attention masks, so they are 0 or 1.

import { dtypeOfElemType, onnx } from '../../ir/onnx/index.js';
import { integers, normal, rng } from '../../ir/testing/random.js';
import type { Tensor } from '../../ir/tensor.js';

export function zooInputs(model: Uint8Array, shapes: Readonly<Record<string, readonly number[]>>, seed = 1): Record<string, Tensor> {
  const declared = onnx.ModelProto.decode(model).graph?.input ?? [];
  const r = rng(seed);
  const inputs: Record<string, Tensor> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const decl = declared.find((d) => d.name === name);
    const dtype = dtypeOfElemType(decl?.type?.tensorType?.elemType ?? 0);
    if (!dtype) throw new Error(`zoo model has no input '${name}' of a dtype freight supports`);
    inputs[name] = dtype === 'float32' ? normal(r, shape) : integers(r, shape, 0, 2, dtype);
  }
  return inputs;
}
