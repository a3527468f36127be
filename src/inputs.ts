// A model's input values as `freight run` and `freight bench` make them: from .npy files where the
// user gave them, else seeded random (uniform floats in [-1, 1), small integers, random bools).

import { readFileSync } from 'node:fs';
import { FreightError } from '../ir/errors.js';
import type { Graph } from '../ir/graph.js';
import { bools, integers, rng, uniform } from '../ir/testing/random.js';
import { formatShape, type Tensor } from '../ir/tensor.js';
import { readNpy } from './npy.js';

export function makeInputs(graph: Graph, files: Readonly<Record<string, string>>, seed: number): Record<string, Tensor> {
  const r = rng(seed);
  const inputs: Record<string, Tensor> = {};
  for (const name of graph.inputs) {
    const info = graph.values.get(name)!;
    const file = files[name];
    if (file) {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new FreightError(`cannot read ${file} (given for input '${name}')`);
      }
      const t = readNpy(bytes, file);
      if (t.dtype !== info.dtype || formatShape(t.shape) !== formatShape(info.shape)) {
        throw new FreightError(`${file} holds ${t.dtype}${formatShape(t.shape)}, but input '${name}' is ${info.dtype}${formatShape(info.shape)}`);
      }
      inputs[name] = t;
      continue;
    }
    inputs[name] = info.dtype === 'float32' ? uniform(r, info.shape)
      : info.dtype === 'bool' ? bools(r, info.shape)
      : integers(r, info.shape, 0, 4, info.dtype);
  }
  return inputs;
}

/** Seeded random values for every input. */
export function seededInputs(graph: Graph, seed: number): Record<string, Tensor> {
  return makeInputs(graph, {}, seed);
}
