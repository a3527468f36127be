// ONNX Runtime (CPU execution provider), freight's ground truth: runs a model (bytes or a file) on
// freight tensors and returns freight tensors by output name, with the time of one warm run.

import ort from 'onnxruntime-node';
import type { DType, Tensor } from '../tensor.js';

const ORT_TYPES: Record<DType, ort.Tensor.Type> = { float32: 'float32', int64: 'int64', int32: 'int32', bool: 'bool' };

export interface OrtResult {
  readonly outputs: Map<string, Tensor>;
  /** The session's second run: without loading the model or the first run's lazy set-up. */
  readonly runMs: number;
}

/** `warm: false` runs once (tests that only want the values); the time is then a cold run's. */
export async function runOrt(model: Uint8Array | string, inputs: Readonly<Record<string, Tensor>>, { warm = true } = {}): Promise<OrtResult> {
  const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], logSeverityLevel: 3 };
  const session = typeof model === 'string'
    ? await ort.InferenceSession.create(model, options)
    : await ort.InferenceSession.create(model, options);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(inputs)) feeds[name] = new ort.Tensor(ORT_TYPES[t.dtype], t.data as never, [...t.shape]);
    if (warm) await session.run(feeds);
    const start = performance.now();
    const results = await session.run(feeds);
    const runMs = performance.now() - start;
    return { outputs: new Map(session.outputNames.map((name) => [name, fromOrt(results[name])])), runMs };
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
