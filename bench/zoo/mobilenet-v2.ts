// MobileNetV2 (torchvision): inverted residuals (1x1 expand, 3x3 depthwise with group = channels,
// linear 1x1 projection), ReLU6 as Clip with Constant bounds, GlobalAveragePool, flatten through
// the Shape chain, Gemm. Small: 32x32 input, width multiplier 0.25 (also on
// the last conv), all 17 blocks, 10 classes.

import { ACT_GAIN, convBnAct, flattenByShape, gemm, makeDivisible, outSize } from './layers.js';
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

/** torchvision's inverted_residual_setting: expansion t, channels c, repeats n, first stride s. */
const SETTING: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

/** An inverted residual on a `size`x`size` input, which is the linear output of the last block. */
function invertedResidual(net: Net, x: string, cin: number, cout: number, stride: number, expand: number, size: number, scope: string): string {
  const hidden = Math.round(cin * expand);
  const residual = stride === 1 && cin === cout;
  let y = x;
  let i = 0;
  if (expand !== 1) y = convBnAct(net, y, { cin, cout: hidden, k: 1, gain: 1, act: 'relu6' }, `${scope}.conv.${i++}`);
  y = convBnAct(net, y, { cin: hidden, cout: hidden, k: 3, stride, groups: hidden, size, act: 'relu6' }, `${scope}.conv.${i++}`);
  // The linear bottleneck: projection conv and BN with no activation after them.
  y = convBnAct(net, y, { cin: hidden, cout, k: 1, act: 'none', gamma: residual ? [0.3, 0.6] : undefined }, `${scope}.conv.${i}`);
  return residual ? net.op('Add', [x, y], {}, scope) : y;
}

function build(size: ZooSize, seed = ZOO_SEED): Uint8Array {
  const c = CONFIGS[size];
  const net = new Net(seed, 'mobilenet-v2');
  const input = net.input('input', 'float32', ['batch', 3, c.image, c.image]);
  let cin = makeDivisible(32 * c.widthMult);
  let x = convBnAct(net, input, { cin: 3, cout: cin, k: 3, stride: 2, size: c.image, gain: 1, act: 'relu6' }, 'features.0');
  let hw = outSize(c.image, 3, 2, 1);
  let index = 1;
  for (const [t, channels, n, s] of SETTING) {
    const cout = makeDivisible(channels * c.widthMult);
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      x = invertedResidual(net, x, cin, cout, stride, t, hw, `features.${index++}`);
      hw = outSize(hw, 3, stride, 1);
      cin = cout;
    }
  }
  // torchvision never narrows the last conv (1280 * max(1, w)); the small size does, so that its
  // weights stay a few hundred KB.
  const last = makeDivisible(1280 * (size === 'small' ? c.widthMult : Math.max(1, c.widthMult)));
  x = convBnAct(net, x, { cin, cout: last, k: 1, gain: 1, act: 'relu6' }, `features.${index}`);
  x = net.op('GlobalAveragePool', [x], {}, '');
  x = flattenByShape(net, x, '');
  // classifier.0 is Dropout, which the exporter drops in eval mode.
  net.output(gemm(net, x, last, c.classes, 'classifier.1', ACT_GAIN.relu6, 'logits'), 'float32', ['batch', c.classes]);
  return net.encode();
}

export const mobilenetV2: ZooModel = {
  name: 'mobilenet-v2',
  description: 'MobileNetV2 (inverted residuals, depthwise convs, ReLU6 as Clip with Constant bounds, Shape-chain flatten, Gemm head); dynamic batch',
  build,
  inputs: (size) => ({ input: [1, 3, CONFIGS[size].image, CONFIGS[size].image] }),
};
