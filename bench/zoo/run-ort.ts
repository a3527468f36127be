// ONNX Runtime (CPU execution provider) as the zoo's ground truth: runs model bytes on freight
// tensors and returns freight tensors, by output name.

import ort from 'onnxruntime-node';
import type { DType, Tensor } from '../../ir/tensor.js';

const ORT_TYPES: Record<DType, ort.Tensor.Type> = { float32: 'float32', int64: 'int64', int32: 'int32', bool: 'bool' };

export async function runOrt(model: Uint8Array, inputs: Readonly<Record<string, Tensor>>): Promise<Map<string, Tensor>> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(inputs)) feeds[name] = new ort.Tensor(ORT_TYPES[t.dtype], t.data as never, [...t.shape]);
    const results = await session.run(feeds);
    return new Map(session.outputNames.map((name) => [name, fromOrt(results[name])]));
  } finally {
    await session.release();
  }
}

function fromOrt(t: ort.Tensor): Tensor {
  const dtype = t.type as DType;
  if (!(dtype in ORT_TYPES)) throw new Error(`ONNX Runtime returned a ${t.type} tensor, which freight has no dtype for`);
  const data = dtype === 'bool' ? new Uint8Array(t.data as Uint8Array) : t.data;
  return { dtype, shape: [...t.dims], data } as Tensor;
}
