// ONNX in and out: the importer (bytes or a file to a RawModel with opset-21 semantics) and the
// builder that writes ONNX models for the model zoo and tests.

export { importOnnx, MIN_OPSET, MAX_OPSET, type ImportOptions } from './import-onnx.js';
export { loadOnnxFile } from './load-onnx-file.js';
export { normalizeGraph, NORMALIZE_RULES } from './normalize.js';
export {
  OnnxBuilder, encodeModel, rawBytes,
  type OnnxBuilderOptions, type NodeOptions, type DimSpec, type ExternalPlacement,
} from './builder.js';
export { float, floats, type AttrValue, type AttrValues, type FloatValue, type FloatsValue } from './attribute-value.js';
export { dtypeOfElemType, elemTypeName, elemTypeOfDtype, elemTypeOfName } from './elem-types.js';
export { onnx } from './proto.js';
export { writeRawModel } from './write-raw-model.js';
