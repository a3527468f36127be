// EfficientNet-B0 (torchvision): MBConv blocks (1x1 expand, 3x3 or 5x5 depthwise, squeeze-excite
// with SiLU and Sigmoid, linear 1x1 projection), SiLU written as x * Sigmoid(x) as the exporter
// does before opset 20, a 1280-channel head conv, Shape-chain flatten, Gemm. Dynamic batch.
// Small: 32x32, width 0.25 (channels rounded to multiples of 8), B0's 16 blocks.

import { ACT_GAIN, SE_GAIN, convBnAct, flattenByShape, gemm, makeDivisible, outSize, squeezeExcite } from './layers.js';
import { Net } from './net.js';
import { ZOO_SEED, type ZooModel, type ZooSize } from './zoo-model.js';

interface Config {
  readonly image: number;
  readonly widthMult: number;
  readonly classes: number;
}

const CONFIGS: Record<ZooSize, Config> = {
  small: { image: 32, widthMult: 0.25, classes: 10 },
  full: { image: 224, widthMult: 1, classes: 1000 },
};

/** B0's stages: expand ratio, kernel, first stride, input and output channels, blocks. */
const STAGES: readonly (readonly [number, number, number, number, number, number])[] = [
  [1, 3, 1, 32, 16, 1], [6, 3, 2, 16, 24, 2], [6, 5, 2, 24, 40, 2], [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3], [6, 5, 2, 112, 192, 4], [6, 3, 1, 192, 320, 1],
];

/** An MBConv on a `size`x`size` input: the previous block's linear projection, or the stem's SiLU. */
function mbconv(net: Net, x: string, cin: number, cout: number, expand: number, k: number, stride: number, size: number, inputGain: number, scope: string): string {
  const expanded = makeDivisible(cin * expand);
  const residual = stride === 1 && cin === cout;
  let y = x;
  let i = 0;
  let gain = inputGain;
  if (expanded !== cin) {
    y = convBnAct(net, y, { cin, cout: expanded, k: 1, gain, act: 'swish' }, `${scope}.block.${i++}`);
    gain = ACT_GAIN.swish;
  }
  y = convBnAct(net, y, { cin: expanded, cout: expanded, k, stride, groups: expanded, size, gain, act: 'swish' }, `${scope}.block.${i++}`);
  // torchvision squeezes to a quarter of the block's input channels, not of the expanded ones.
  y = squeezeExcite(net, y, expanded, Math.max(1, Math.floor(cin / 4)), 'sigmoid', `${scope}.block.${i++}`);
  const projectGain = ACT_GAIN.swish * SE_GAIN;
  y = convBnAct(net, y, { cin: expanded, cout, k: 1, gain: projectGain, act: 'none', gamma: residual ? [0.3, 0.6] : undefined }, `${scope}.block.${i}`);
  // Stochastic depth is the identity in eval mode, so the exporter writes a plain Add.
  return residual ? net.op('Add', [y, x], {}, scope) : y;
}

function build(size: ZooSize, seed = ZOO_SEED): Uint8Array {
  const c = CONFIGS[size];
  const width = (ch: number): number => makeDivisible(ch * c.widthMult);
  const net = new Net(seed, 'efficientnet-b0');
  const input = net.input('input', 'float32', ['batch', 3, c.image, c.image]);
  let x = convBnAct(net, input, { cin: 3, cout: width(32), k: 3, stride: 2, size: c.image, gain: 1, act: 'swish' }, 'features.0');
  let hw = outSize(c.image, 3, 2, 1);
  STAGES.forEach(([expand, k, firstStride, cin, cout, layers], stage) => {
    for (let i = 0; i < layers; i++) {
      const from = i === 0 ? width(cin) : width(cout);
      const stride = i === 0 ? firstStride : 1;
      const gain = stage === 0 && i === 0 ? ACT_GAIN.swish : 1;
      x = mbconv(net, x, from, width(cout), expand, k, stride, hw, gain, `features.${stage + 1}.${i}`);
      hw = outSize(hw, k, stride, Math.floor(k / 2));
    }
  });
  const last = 4 * width(320);
  x = convBnAct(net, x, { cin: width(320), cout: last, k: 1, gain: 1, act: 'swish' }, `features.${STAGES.length + 1}`);
  x = net.op('GlobalAveragePool', [x], {}, 'avgpool');
  x = flattenByShape(net, x, '');
  // classifier.0 is Dropout, gone in eval mode.
  net.output(gemm(net, x, last, c.classes, 'classifier.1', ACT_GAIN.swish, 'logits'), 'float32', ['batch', c.classes]);
  return net.encode();
}

export const efficientnetB0: ZooModel = {
  name: 'efficientnet-b0',
  description: 'EfficientNet-B0 (MBConv with SiLU as x * Sigmoid(x), squeeze-excite, 5x5 depthwise convs, Shape-chain flatten, Gemm head); dynamic batch',
  build,
  inputs: (size) => ({ input: [1, 3, CONFIGS[size].image, CONFIGS[size].image] }),
};
