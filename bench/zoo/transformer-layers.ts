// Transformer building blocks as the PyTorch exporter writes them at opset 17: nn.Linear on a
// 3-D input as MatMul + Add(bias), LayerNorm either decomposed (what BERT exports look like) or as
// the single LayerNormalization op, GELU in its Erf form (the Gelu op only arrived in opset 20),
// and head reshapes whose target shapes are computed from the input by Shape/Gather/Concat.

import type { Net } from './net.js';

/** nn.Linear on [..., in]: MatMul by the transposed weight [in, out], then Add(bias, ·). */
export function linear(net: Net, x: string, inFeatures: number, outFeatures: number, scope: string, gain = 1, out?: string): string {
  const w = net.weight(`onnx::MatMul_${scope}.weight`, [inFeatures, outFeatures], inFeatures, gain);
  const y = net.op('MatMul', [x, w], {}, scope);
  return net.op('Add', [net.bias(`${scope}.bias`, outFeatures), y], {}, scope, out);
}

/** LayerNorm over the last axis, decomposed as BERT's exports have it (opset < 17). */
export function layerNormDecomposed(net: Net, x: string, features: number, eps: number, scope: string, out?: string): string {
  const mean = net.op('ReduceMean', [x], { axes: [-1], keepdims: 1 }, scope);
  const centered = net.op('Sub', [x, mean], {}, scope);
  const squared = net.op('Pow', [centered, net.float(2, scope)], {}, scope);
  const variance = net.op('ReduceMean', [squared], { axes: [-1], keepdims: 1 }, scope);
  const std = net.op('Sqrt', [net.op('Add', [variance, net.float(eps, scope)], {}, scope)], {}, scope);
  const normed = net.op('Div', [centered, std], {}, scope);
  const scaled = net.op('Mul', [normed, lnParam(net, `${scope}.weight`, features, 1)], {}, scope);
  return net.op('Add', [scaled, lnParam(net, `${scope}.bias`, features, 0)], {}, scope, out);
}

/** LayerNorm as the single opset-17 op. */
export function layerNorm(net: Net, x: string, features: number, eps: number, scope: string): string {
  const gamma = lnParam(net, `${scope}.weight`, features, 1);
  const beta = lnParam(net, `${scope}.bias`, features, 0);
  return net.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: net.b.float(eps) }, scope);
}

/** A trained LayerNorm's scale or shift: near `center`, not exactly it, so the affine part counts. */
function lnParam(net: Net, name: string, n: number, center: number): string {
  return net.uniform(name, [n], center - 0.1, center + 0.1);
}

/** 1 / E[gelu(x)²] for a unit normal x: the gain of a linear layer reading a GELU. */
export const GELU_GAIN = 2.35;

/** GELU as the exporter writes F.gelu before opset 20: x * 0.5 * (1 + erf(x / sqrt(2))). */
export function gelu(net: Net, x: string, scope: string): string {
  const e = net.op('Erf', [net.op('Div', [x, net.float(Math.SQRT2, scope)], {}, scope)], {}, scope);
  const inner = net.op('Mul', [x, net.op('Add', [e, net.float(1, scope)], {}, scope)], {}, scope);
  return net.op('Mul', [inner, net.float(0.5, scope)], {}, scope);
}

/** Dimension `axis` of x's shape as a 1-element int64 tensor: Shape → Gather → Unsqueeze. */
function dimOf(net: Net, shape: string, axis: number, scope: string): string {
  const d = net.op('Gather', [shape, net.int(axis, scope)], { axis: 0 }, scope);
  return net.op('Unsqueeze', [d, net.ints([0], scope)], {}, scope);
}

/**
 * [b, s, heads * headDim] → [b, heads, s, headDim] (or [b, heads, headDim, s] for keys), with the
 * reshape target built from x's own shape as HF's transpose_for_scores exports it.
 */
export function splitHeads(net: Net, x: string, heads: number, headDim: number, key: boolean, scope: string): string {
  const shape = net.op('Shape', [x], {}, scope);
  const target = net.op('Concat', [
    dimOf(net, shape, 0, scope), dimOf(net, shape, 1, scope), net.ints([heads], scope), net.ints([headDim], scope),
  ], { axis: 0 }, scope);
  const split = net.op('Reshape', [x, target], {}, scope);
  return net.op('Transpose', [split], { perm: key ? [0, 2, 3, 1] : [0, 2, 1, 3] }, scope);
}

/** [b, heads, s, headDim] → [b, s, heads * headDim], the target again computed from the shape. */
export function mergeHeads(net: Net, x: string, hidden: number, scope: string): string {
  const t = net.op('Transpose', [x], { perm: [0, 2, 1, 3] }, scope);
  const shape = net.op('Shape', [t], {}, scope);
  const target = net.op('Concat', [dimOf(net, shape, 0, scope), dimOf(net, shape, 1, scope), net.ints([hidden], scope)], { axis: 0 }, scope);
  return net.op('Reshape', [t, target], {}, scope);
}

/** softmax(q kᵀ / sqrt(d) + mask) v on split heads; `kT` is already [b, h, d, s]. */
export function scaledDotProduct(net: Net, q: string, kT: string, v: string, headDim: number, mask: string | undefined, scope: string): string {
  const scores = net.op('Div', [net.op('MatMul', [q, kT], {}, scope), net.float(Math.sqrt(headDim), scope)], {}, scope);
  const masked = mask === undefined ? scores : net.op('Add', [scores, mask], {}, scope);
  const probs = net.op('Softmax', [masked], { axis: -1 }, scope);
  return net.op('MatMul', [probs, v], {}, scope);
}
