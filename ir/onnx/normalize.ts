// Opset normalization: rewrites the nodes of a model written for opsets 7 to 21 into the opset-21
// form of each operator, so that everything after the importer knows one semantics per operator.
// Attributes that later became inputs turn into constant initializers with fresh names.
//
// What changed between opsets 7 and 21, for the operators freight reads (changes that only add
// element types, negative axes or clearer wording need nothing and are not listed):
//
//  op                       opsets   what changes here
//  -----------------------  -------  ------------------------------------------------------------
//  Clip                     7-10     attrs min, max -> inputs 1, 2 (float32 scalars; absent: omitted)
//  Squeeze, Unsqueeze       7-12     attr axes -> input 1 (int64 1-D; absent on Squeeze: omitted)
//  Slice                    7-9      attrs starts, ends, axes -> inputs 1, 2, 3 (int64 1-D)
//  ReduceSum                7-12     attr axes -> input 1 (absent: omitted = all axes, as before)
//  ReduceMean/Max/Min/Prod/ 7-17     attr axes -> input 1 (same)
//   L1/L2/LogSum/LogSumExp/
//   SumSquare
//  Split                    7-12     attr split -> input 1; without it: attr num_outputs = #outputs
//                           13-17    no split input -> attr num_outputs = #outputs (18's even split)
//  Pad                      7-10     attrs pads, value -> inputs 1, 2 (int64 1-D, float32 scalar)
//  Upsample                 7-9      -> Resize(X, '', scales), mode nearest|linear ('bilinear'
//                                    read as linear), coordinate_transformation_mode asymmetric,
//                                    nearest_mode floor; scales attr (7-8) -> constant
//  Resize                   10       (X, scales) -> (X, '', scales), asymmetric; nearest rounding
//                                    as ONNX Runtime: floor when upsampling, ceil when downsampling
//                                    (two Resizes if scales mix both; floor if scales are computed)
//                           11+      roi -> '' unless tf_crop_and_resize; empty constant scales -> ''
//                           11-12    tf_half_pixel_for_nn kept (exists only there; later code reads it)
//  Softmax, LogSoftmax,     7-12     2-D coercion at axis (default 1) -> Flatten(axis), op(axis=-1),
//   Hardmax                          Reshape(result, Shape(x))
//  BatchNormalization       7-8      spatial=0 -> element-wise Sub/Mul/Add/Div/Sqrt (broadcasts)
//                           7-13     listed statistics outputs mean training mode: refused
//                           14+      training_mode=1 refused; unread statistics outputs dropped
//                           all      drop attrs spatial, is_test, consumed_inputs, training_mode=0
//  Dropout                  7-11     attr ratio dropped (identity at inference, as 12's defaults);
//                                    the mask was all false (ORT) where 12+ gives all true: a read
//                                    mask -> ConstantOfShape(Shape(x)) of 0 (7-9, float) or false
//                                    (10-11); an unread one is dropped
//
// Unchanged in meaning over 7-21, checked against the ONNX changelog: Add Sub Mul Div Pow Sqrt Exp
// Log Abs Neg Reciprocal Erf Tanh Sigmoid Relu LeakyRelu Elu Gelu HardSigmoid HardSwish Min Max Sum
// Mean (broadcasting from 8 is a superset) Where Equal Less Greater Not And Or Cast MatMul Gemm
// Conv ConvTranspose InstanceNormalization LayerNormalization MaxPool AveragePool (ceil_mode,
// dilations, count_include_pad arrived with defaults meaning the old behaviour) GlobalAveragePool
// GlobalMaxPool ArgMax Reshape (allowzero defaults to 0) Flatten Transpose Concat Gather Expand
// Tile DepthToSpace (DCR before 11 = 11's default) SpaceToDepth Shape Size ConstantOfShape Range
// Identity. Nodes of other domains are left alone.

import type { RawGraph } from '../graph.js';
import { NormalizeContext, type Rule } from './normalize-context.js';
import { clip, pad, reduceAxes, slice, split, squeezeAxes } from './normalize-inputs.js';
import { batchNorm, coerceTo2d, dropout } from './normalize-legacy.js';
import { resize, upsample } from './normalize-resize.js';

/** The rules by operator of the default domain. */
export const NORMALIZE_RULES: Readonly<Record<string, Rule>> = {
  Clip: clip,
  Squeeze: squeezeAxes,
  Unsqueeze: squeezeAxes,
  Slice: slice,
  ReduceSum: reduceAxes(13),
  ReduceMean: reduceAxes(18),
  ReduceMax: reduceAxes(18),
  ReduceMin: reduceAxes(18),
  ReduceProd: reduceAxes(18),
  ReduceL1: reduceAxes(18),
  ReduceL2: reduceAxes(18),
  ReduceLogSum: reduceAxes(18),
  ReduceLogSumExp: reduceAxes(18),
  ReduceSumSquare: reduceAxes(18),
  Split: split,
  Pad: pad,
  Upsample: upsample,
  Resize: resize,
  Softmax: coerceTo2d,
  LogSoftmax: coerceTo2d,
  Hardmax: coerceTo2d,
  BatchNormalization: batchNorm,
  Dropout: dropout,
};

export function normalizeGraph(graph: RawGraph, opset: number): RawGraph {
  const ctx = new NormalizeContext(graph);
  const nodes = graph.nodes.flatMap((node) => {
    const rule = node.domain === '' && Object.hasOwn(NORMALIZE_RULES, node.op) ? NORMALIZE_RULES[node.op] : undefined;
    return rule?.(node, opset, ctx) ?? [node];
  });
  return { ...graph, nodes, initializers: ctx.initializers };
}
