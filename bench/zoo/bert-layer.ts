// One BERT encoder layer (HF BertLayer) as the PyTorch exporter writes it, with BertModel's mask
// preprocessing in front: Unsqueeze ×2 → Cast → (1 - mask) * -10000. Q/K/V as MatMul + Add,
// heads split and merged by Reshapes whose targets come from Shape/Gather/Concat on the input,
// Div by sqrt(d), Softmax, post-LN residuals with LayerNorm decomposed, GELU in its Erf form.
// Inputs `hidden` [batch, sequence, H] and `attention_mask` [batch, sequence] (int64, 1 = attend),
// both axes dynamic. Full: BERT-base (H 768, 12 heads, FFN 3072), sequence 128. Small: H 64, 4 heads,
// FFN 128, batch 2, sequence 8.

import { Net } from './net.js';
import { GELU_GAIN, gelu, layerNormDecomposed, linear, mergeHeads, scaledDotProduct, splitHeads } from './transformer-layers.js';
import { ZOO_SEED, type ZooModel, type ZooSize } from './zoo-model.js';

interface Config {
  readonly hidden: number;
  readonly heads: number;
  readonly ffn: number;
  readonly batch: number;
  readonly sequence: number;
}

const CONFIGS: Record<ZooSize, Config> = {
  small: { hidden: 64, heads: 4, ffn: 128, batch: 2, sequence: 8 },
  full: { hidden: 768, heads: 12, ffn: 3072, batch: 1, sequence: 128 },
};

/** BERT's LayerNorm epsilon. */
const EPS = 1e-12;

/** [batch, sequence] int64 of 0/1 → additive float mask [batch, 1, 1, sequence]. */
function extendedMask(net: Net, mask: string): string {
  const m4 = net.op('Unsqueeze', [net.op('Unsqueeze', [mask, net.ints([1], '')], {}, ''), net.ints([2], '')], {}, '');
  const asFloat = net.op('Cast', [m4], { to: 1 }, '');
  const inverted = net.op('Sub', [net.float(1, ''), asFloat], {}, '');
  // -10000 as HF wrote it before v4.21 (now finfo(float32).min): with the min, a mask value
  // other than 0 or 1 (`freight run` draws int64 inputs from 0..3) overflows to inf, then NaN.
  return net.op('Mul', [inverted, net.float(-10000, '')], {}, '');
}

function selfAttention(net: Net, x: string, mask: string, c: Config, prefix: string): string {
  const headDim = c.hidden / c.heads;
  const scope = `${prefix}attention.self`;
  const q = splitHeads(net, linear(net, x, c.hidden, c.hidden, `${scope}.query`), c.heads, headDim, false, scope);
  const kT = splitHeads(net, linear(net, x, c.hidden, c.hidden, `${scope}.key`), c.heads, headDim, true, scope);
  const v = splitHeads(net, linear(net, x, c.hidden, c.hidden, `${scope}.value`), c.heads, headDim, false, scope);
  const context = scaledDotProduct(net, q, kT, v, headDim, mask, scope);
  return mergeHeads(net, context, c.hidden, scope);
}

/**
 * One encoder layer: attention, then the feed-forward block, each with a post-LN residual.
 * `prefix` scopes its weights ('encoder.layer.3.'), as in a whole exported BertModel.
 */
function encoderLayer(net: Net, hidden: string, mask: string, c: Config, prefix: string, out?: string): string {
  const context = selfAttention(net, hidden, mask, c, prefix);
  const projected = linear(net, context, c.hidden, c.hidden, `${prefix}attention.output.dense`);
  const attended = layerNormDecomposed(net, net.op('Add', [projected, hidden], {}, `${prefix}attention.output`), c.hidden, EPS, `${prefix}attention.output.LayerNorm`);

  const inner = gelu(net, linear(net, attended, c.hidden, c.ffn, `${prefix}intermediate.dense`), `${prefix}intermediate.intermediate_act_fn`);
  const ffn = linear(net, inner, c.ffn, c.hidden, `${prefix}output.dense`, GELU_GAIN);
  const sum = net.op('Add', [ffn, attended], {}, `${prefix}output`);
  return layerNormDecomposed(net, sum, c.hidden, EPS, `${prefix}output.LayerNorm`, out);
}

function build(size: ZooSize, seed: number, layers: number, graphName: string): Uint8Array {
  const c = CONFIGS[size];
  const net = new Net(seed, graphName);
  let hidden = net.input('hidden', 'float32', ['batch', 'sequence', c.hidden]);
  const mask = extendedMask(net, net.input('attention_mask', 'int64', ['batch', 'sequence']));
  for (let l = 0; l < layers; l++) {
    const prefix = layers === 1 ? '' : `encoder.layer.${l}.`;
    hidden = encoderLayer(net, hidden, mask, c, prefix, l === layers - 1 ? 'output' : undefined);
  }
  net.output('output', 'float32', ['batch', 'sequence', c.hidden]);
  return net.encode();
}

const inputs = (size: ZooSize): Record<string, number[]> => {
  const c = CONFIGS[size];
  return { hidden: [c.batch, c.sequence, c.hidden], attention_mask: [c.batch, c.sequence] };
};

export const bertLayer: ZooModel = {
  name: 'bert-layer',
  description: 'a BERT encoder layer (decomposed LayerNorm, Erf GELU, attention with Shape-built reshapes, int64 attention mask); dynamic batch and sequence',
  build: (size, seed = ZOO_SEED) => build(size, seed, 1, 'bert-layer'),
  inputs,
};

/** BERT-base's whole encoder: 12 layers, about 1,300 nodes as exported (the import benchmark's model). */
export const bertEncoder: ZooModel = {
  name: 'bert-encoder',
  description: 'the 12 encoder layers of BERT (bert-layer stacked), about 1,300 exported nodes',
  build: (size, seed = ZOO_SEED) => build(size, seed, 12, 'bert-encoder'),
  inputs,
};
