// Convolutional building blocks of the zoo, written node for node as the PyTorch exporter writes
// them in eval mode: Conv and BatchNormalization kept apart (folding them is freight's job),
// ReLU6 as Clip with Constant bounds, SiLU as x * Sigmoid(x), view(n, -1) as a Shape chain.

import type { Net } from './net.js';

export type Activation = 'relu' | 'relu6' | 'hardswish' | 'swish' | 'none';

export interface ConvSpec {
  readonly cin: number;
  readonly cout: number;
  readonly k: number;
  readonly stride?: number;
  readonly groups?: number;
  /** Conv bias: torchvision convolutions followed by BatchNorm have none. */
  readonly bias?: boolean;
  /** Default: 'same' padding k / 2 (odd kernels). */
  readonly pad?: number;
  /** Input height (= width), so the fan-in counts only taps that land inside the image. */
  readonly size?: number;
  /** 1 / E[x²] of the input per unit pre-activation variance: ACT_GAIN of the activation before. */
  readonly gain?: number;
}

/**
 * How much each activation shrinks the second moment of a unit normal (1 / E[act(x)²]): a conv
 * reading its output multiplies by this in the weights' variance (He init is the ReLU case).
 */
export const ACT_GAIN: Readonly<Record<Activation, number>> = { relu: 2, relu6: 2, hardswish: 3, swish: 2.8, none: 1 };

/**
 * A squeeze-excite gate is sigmoid-like of a unit-variance input, so E[gate²] ≈ 0.29; 3 rather
 * than 1 / 0.29 leaves room for the growth of residual sums over EfficientNet's 16 blocks.
 */
export const SE_GAIN = 3;

/** Output height of a conv or pool along one axis. */
export function outSize(size: number, k: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - k) / stride) + 1;
}

/**
 * Taps of a k-wide kernel inside the input, averaged over output positions. Late stages of the
 * small models are 1x1 or 2x2, where most of a 5x5 depthwise kernel reads padding; counting
 * every tap would shrink the signal block after block.
 */
function tapsInside(size: number | undefined, k: number, stride: number, pad: number): number {
  if (size === undefined) return k;
  const n = outSize(size, k, stride, pad);
  let taps = 0;
  for (let o = 0; o < n; o++) for (let t = 0; t < k; t++) if (o * stride - pad + t >= 0 && o * stride - pad + t < size) taps++;
  return taps / n;
}

export function conv(net: Net, x: string, s: ConvSpec, scope: string, out?: string): string {
  const groups = s.groups ?? 1;
  const p = s.pad ?? Math.floor(s.k / 2);
  const stride = s.stride ?? 1;
  const taps = tapsInside(s.size, s.k, stride, p);
  const w = net.weight(`${scope}.weight`, [s.cout, s.cin / groups, s.k, s.k], (s.cin / groups) * taps * taps, s.gain ?? 2);
  const inputs = s.bias ? [x, w, net.bias(`${scope}.bias`, s.cout)] : [x, w];
  return net.op('Conv', inputs, {
    dilations: [1, 1], group: groups, kernel_shape: [s.k, s.k], pads: [p, p, p, p], strides: [stride, stride],
  }, scope, out);
}

/**
 * Eval-mode BatchNorm with statistics a trained network could have: running variance in
 * [0.5, 1.5], small means and shifts. With that variance E[1/var] = ln 3 ≈ 1.1, and the default
 * gamma range gives E[gamma²] ≈ 0.91, so a BN neither grows nor shrinks the signal on average;
 * a residual branch's last BN gets a smaller gamma, as zero-init-residual training leaves it.
 */
export function batchNorm(net: Net, x: string, channels: number, scope: string, gamma: readonly [number, number] = [0.75, 1.15]): string {
  const scale = net.uniform(`${scope}.weight`, [channels], gamma[0], gamma[1]);
  const shift = net.uniform(`${scope}.bias`, [channels], -0.1, 0.1);
  const mean = net.uniform(`${scope}.running_mean`, [channels], -0.1, 0.1);
  const variance = net.uniform(`${scope}.running_var`, [channels], 0.5, 1.5);
  return net.op('BatchNormalization', [x, scale, shift, mean, variance], { epsilon: net.b.float(1e-5), momentum: net.b.float(0.9) }, scope);
}

export function activation(net: Net, x: string, act: Activation, scope: string): string {
  switch (act) {
    case 'relu': return net.op('Relu', [x], {}, scope);
    case 'relu6': return relu6(net, x, scope);
    case 'hardswish': return net.op('HardSwish', [x], {}, scope);
    case 'swish': return swish(net, x, scope);
    case 'none': return x;
  }
}

/** ReLU6: since opset 11 Clip takes its bounds as inputs, which the exporter writes as Constants. */
export function relu6(net: Net, x: string, scope: string): string {
  return net.op('Clip', [x, net.float(0, scope), net.float(6, scope)], {}, scope);
}

/** SiLU as x * Sigmoid(x), the way the exporter writes it: opset 17 has no single op for it. */
export function swish(net: Net, x: string, scope: string): string {
  return net.op('Mul', [x, net.op('Sigmoid', [x], {}, scope)], {}, scope);
}

export interface ConvBnActSpec extends ConvSpec {
  readonly act: Activation;
  readonly gamma?: readonly [number, number];
}

/** torchvision's Conv2dNormActivation: module names '<scope>.0' (conv), '.1' (bn), '.2' (act). */
export function convBnAct(net: Net, x: string, s: ConvBnActSpec, scope: string): string {
  const y = batchNorm(net, conv(net, x, s, `${scope}.0`), s.cout, `${scope}.1`, s.gamma);
  return activation(net, y, s.act, `${scope}.2`);
}

/**
 * Squeeze-and-excitation: GlobalAveragePool → Conv(+bias) → act → Conv(+bias) → gate → Mul.
 * MobileNetV3 gates with HardSigmoid and squeezes through ReLU; EfficientNet uses Sigmoid and SiLU.
 */
export function squeezeExcite(
  net: Net, x: string, channels: number, squeezed: number, kind: 'hard' | 'sigmoid', scope: string,
): string {
  const pooled = net.op('GlobalAveragePool', [x], {}, `${scope}.avgpool`);
  const fc1 = conv(net, pooled, { cin: channels, cout: squeezed, k: 1, bias: true }, `${scope}.fc1`);
  const mid = kind === 'hard' ? net.op('Relu', [fc1], {}, `${scope}.activation`) : swish(net, fc1, `${scope}.activation`);
  const gain = ACT_GAIN[kind === 'hard' ? 'relu' : 'swish'];
  const fc2 = conv(net, mid, { cin: squeezed, cout: channels, k: 1, bias: true, gain }, `${scope}.fc2`);
  const gate = kind === 'hard'
    ? net.op('HardSigmoid', [fc2], { alpha: net.b.float(1 / 6), beta: net.b.float(0.5) }, `${scope}.scale_activation`)
    : net.op('Sigmoid', [fc2], {}, `${scope}.scale_activation`);
  return net.op('Mul', [gate, x], {}, scope);
}

/**
 * `x.view(x.size(0), -1)` as exported: Shape → Gather(0) → Unsqueeze → Concat([n, -1]) → Reshape.
 * Every node but the Reshape folds away once the batch is bound.
 */
export function flattenByShape(net: Net, x: string, scope: string): string {
  const shape = net.op('Shape', [x], {}, scope);
  const n = net.op('Gather', [shape, net.int(0, scope)], { axis: 0 }, scope);
  const n1 = net.op('Unsqueeze', [n, net.ints([0], scope)], {}, scope);
  const target = net.op('Concat', [n1, net.ints([-1], scope)], { axis: 0 }, scope);
  return net.op('Reshape', [x, target], {}, scope);
}

/** nn.Linear on a 2-D input, as the exporter writes it: Gemm with the weight [out, in] transposed. */
export function gemm(net: Net, x: string, inFeatures: number, outFeatures: number, scope: string, gain = 1, out?: string): string {
  const w = net.weight(`${scope}.weight`, [outFeatures, inFeatures], inFeatures, gain);
  const b = net.bias(`${scope}.bias`, outFeatures);
  return net.op('Gemm', [x, w, b], { alpha: net.b.float(1), beta: net.b.float(1), transB: 1 }, scope, out);
}

/** torchvision's _make_divisible: channel counts rounded to multiples of 8, never down by > 10 %. */
export function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}
