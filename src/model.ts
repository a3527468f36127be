// Loading a model as a user does: read the file, import it, bind shapes, resolve. The public API's
// entry point; the commands and the benchmarks go through here.

import { loadOnnxFile } from '../ir/onnx/index.js';
import type { Graph, RawModel } from '../ir/graph.js';
import { lowerGraph } from '../ir/lower/lower.js';
import type { Program } from '../ir/program.js';
import { resolveGraph } from '../ir/resolve.js';

export interface LoadOptions {
  /** Bound shapes of inputs with dynamic dimensions, by input name. */
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
}

export interface LoadedModel {
  readonly path: string;
  readonly raw: RawModel;
  readonly graph: Graph;
}

export function loadModel(path: string, options: LoadOptions = {}): LoadedModel {
  const raw = loadOnnxFile(path);
  return { path, raw, graph: resolveGraph(raw, { shapes: options.shapes }) };
}

export function lowerModel(m: LoadedModel): Program {
  return lowerGraph(m.graph);
}
