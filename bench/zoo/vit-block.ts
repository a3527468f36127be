// A Vision Transformer (timm's VisionTransformer, exported with a fixed batch of 1): patch
// embedding as a Conv with stride = patch, Reshape + Transpose to tokens, an Expand-ed class token
// concatenated in front, position embedding added, pre-LN blocks with the single
// LayerNormalization op (opset 17), fused QKV split by Split + Squeeze (qkv.unbind(0)), q scaled
// by Mul, GELU in its Erf form (Gelu is opset 20); final LN, the class token taken by Gather, Gemm.
// Full: ViT-B/16 (224, D 768, 12 blocks of 12 heads, MLP 3072). Small: 32x32, patch 8, D 64,
// 4 heads, MLP 128, 2 blocks.

import { conv, gemm } from './layers.js';
import { Net } from './net.js';
import { GELU_GAIN, gelu, layerNorm, linear } from './transformer-layers.js';
import { ZOO_SEED, type ZooModel, type ZooSize } from './zoo-model.js';

interface Config {
  readonly image: number;
  readonly patch: number;
  readonly dim: number;
  readonly heads: number;
  readonly mlp: number;
  readonly depth: number;
  readonly classes: number;
}

const CONFIGS: Record<ZooSize, Config> = {
  small: { image: 32, patch: 8, dim: 64, heads: 4, mlp: 128, depth: 2, classes: 10 },
  full: { image: 224, patch: 16, dim: 768, heads: 12, mlp: 3072, depth: 12, classes: 1000 },
};

/** timm's LayerNorm epsilon for ViTs. */
const EPS = 1e-6;

/** Multi-head self-attention on [1, tokens, D]; with static shapes the exporter writes constant reshape targets. */
function attention(net: Net, x: string, tokens: number, c: Config, scope: string): string {
  const headDim = c.dim / c.heads;
  const qkv = linear(net, x, c.dim, 3 * c.dim, `${scope}.qkv`);
  const split5 = net.op('Reshape', [qkv, net.ints([1, tokens, 3, c.heads, headDim], scope)], {}, scope);
  const perm = net.op('Transpose', [split5], { perm: [2, 0, 3, 1, 4] }, scope);
  const [q, k, v] = net.opN('Split', [perm, net.ints([1, 1, 1], scope)], { axis: 0 }, scope, 3)
    .map((part) => net.op('Squeeze', [part, net.ints([0], scope)], {}, scope));
  const scaled = net.op('Mul', [q, net.float(headDim ** -0.5, scope)], {}, scope);
  const kT = net.op('Transpose', [k], { perm: [0, 1, 3, 2] }, scope);
  const probs = net.op('Softmax', [net.op('MatMul', [scaled, kT], {}, scope)], { axis: -1 }, scope);
  const context = net.op('Transpose', [net.op('MatMul', [probs, v], {}, scope)], { perm: [0, 2, 1, 3] }, scope);
  const merged = net.op('Reshape', [context, net.ints([1, tokens, c.dim], scope)], {}, scope);
  return linear(net, merged, c.dim, c.dim, `${scope}.proj`);
}

function block(net: Net, x: string, tokens: number, c: Config, scope: string): string {
  const attended = attention(net, layerNorm(net, x, c.dim, EPS, `${scope}.norm1`), tokens, c, `${scope}.attn`);
  const x1 = net.op('Add', [x, attended], {}, scope);
  const hidden = gelu(net, linear(net, layerNorm(net, x1, c.dim, EPS, `${scope}.norm2`), c.dim, c.mlp, `${scope}.mlp.fc1`), `${scope}.mlp.act`);
  const out = linear(net, hidden, c.mlp, c.dim, `${scope}.mlp.fc2`, GELU_GAIN);
  return net.op('Add', [x1, out], {}, scope);
}

function build(size: ZooSize, seed = ZOO_SEED): Uint8Array {
  const c = CONFIGS[size];
  const grid = c.image / c.patch;
  const tokens = grid * grid + 1;
  const net = new Net(seed, 'vit');
  const pixels = net.input('pixels', 'float32', [1, 3, c.image, c.image]);

  const patches = conv(net, pixels, { cin: 3, cout: c.dim, k: c.patch, stride: c.patch, pad: 0, bias: true, gain: 1 }, 'patch_embed.proj');
  const flat = net.op('Reshape', [patches, net.ints([1, c.dim, -1], 'patch_embed')], {}, 'patch_embed');
  const seq = net.op('Transpose', [flat], { perm: [0, 2, 1] }, 'patch_embed');
  // Trained class tokens and position embeddings are a fraction of the patch embeddings' scale.
  const cls = net.op('Expand', [net.normal('cls_token', [1, 1, c.dim], 0.2), net.ints([1, 1, c.dim], '')], {}, '');
  const withCls = net.op('Concat', [cls, seq], { axis: 1 }, '');
  let x = net.op('Add', [withCls, net.normal('pos_embed', [1, tokens, c.dim], 0.2)], {}, '');
  for (let i = 0; i < c.depth; i++) x = block(net, x, tokens, c, `blocks.${i}`);

  x = layerNorm(net, x, c.dim, EPS, 'norm');
  const first = net.op('Gather', [x, net.int(0, '')], { axis: 1 }, '');
  net.output(gemm(net, first, c.dim, c.classes, 'head', 1, 'logits'), 'float32', [1, c.classes]);
  return net.encode();
}

export const vitBlock: ZooModel = {
  name: 'vit-block',
  description: 'a Vision Transformer (patch Conv, class token via Expand + Concat, LayerNormalization, Split QKV, Erf GELU, Gather of the class token, Gemm); fixed batch 1',
  build,
  inputs: (size) => ({ pixels: [1, 3, CONFIGS[size].image, CONFIGS[size].image] }),
};
