// The ONNX importer: bytes of a ModelProto in, a RawModel out, with every operator normalized to
// its opset-21 form. Every problem with the input is one FreightError sentence that starts with
// the model's path (or "(in-memory model)") and names the tensor, node or value at fault.

import type { onnx as pb } from 'onnx-proto';
import { FreightError } from '../errors.js';
import type { RawModel } from '../graph.js';
import { decodeGraph } from './decode-graph.js';
import { externalDataReader } from './external-data.js';
import { normalizeGraph } from './normalize.js';
import { int64ToNumber, onnx } from './proto.js';

/** The opsets of the default domain freight reads. */
export const MIN_OPSET = 7;
export const MAX_OPSET = 21;

export interface ImportOptions {
  /** The model file's path: names it in errors, and is where external data is looked up. */
  readonly modelPath?: string;
}

export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): RawModel {
  const label = options.modelPath ?? '(in-memory model)';
  const model = decodeModelProto(bytes, label);
  try {
    return importModel(model, options.modelPath);
  } catch (e) {
    if (e instanceof FreightError) throw new FreightError(`${label}: ${e.message}`, { cause: e });
    throw e;
  }
}

function decodeModelProto(bytes: Uint8Array, label: string): pb.ModelProto {
  let model: pb.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    // protobufjs reports a cut or garbled file as RangeError/Error ("index out of range",
    // "invalid wire type"); deep garbage nesting can even overflow the stack.
    const detail = e instanceof Error ? e.message : String(e);
    throw new FreightError(
      `${label} is not a valid ONNX model: the protobuf is truncated or corrupt (${detail}).`,
      { cause: e },
    );
  }
  // An empty file is a valid empty protobuf message, so it gets here.
  if (!model.graph) {
    const why = bytes.length === 0 ? 'the file is empty' : 'it is corrupt or not an ONNX model';
    throw new FreightError(`${label} has no graph: ${why}.`);
  }
  return model;
}

function importModel(model: pb.ModelProto, modelPath: string | undefined): RawModel {
  const opset = defaultOpset(model.opsetImport ?? []);
  const graph = decodeGraph(model.graph as pb.IGraphProto, externalDataReader(modelPath));
  return {
    opset,
    irVersion: int64ToNumber(model.irVersion),
    producer: model.producerName ?? '',
    graph: normalizeGraph(graph, opset),
  };
}

function defaultOpset(imports: readonly pb.IOperatorSetIdProto[]): number {
  const versions = new Set<number>();
  for (const imp of imports) {
    if (imp.domain === '' || imp.domain === 'ai.onnx' || imp.domain === null || imp.domain === undefined) {
      versions.add(int64ToNumber(imp.version));
    }
  }
  if (versions.size === 0) throw new FreightError('the model imports no opset of the default ONNX domain.');
  if (versions.size > 1) {
    throw new FreightError(`the model imports the default ONNX domain twice, at opsets ${[...versions].join(' and ')}.`);
  }
  const opset = [...versions][0];
  if (opset < MIN_OPSET) {
    throw new FreightError(
      `the model uses opset ${opset}, older than freight reads (${MIN_OPSET} to ${MAX_OPSET}); convert it with onnx.version_converter.`,
    );
  }
  if (opset > MAX_OPSET) {
    throw new FreightError(
      `the model uses opset ${opset}, newer than freight reads (${MIN_OPSET} to ${MAX_OPSET}); export it at opset ${MAX_OPSET} or lower.`,
    );
  }
  return opset;
}
