// MobileNetV3-Small (torchvision): inverted residuals with HardSwish or ReLU, squeeze-excite gated
// by HardSigmoid (GlobalAveragePool → Conv → Relu → Conv → HardSigmoid → Mul), a 576-channel last
// conv, then Flatten (torch.flatten exports the single op) and a two-Gemm classifier with HardSwish.
// Fixed batch of 1, as models exported without dynamic axes have. Small: 32x32, width 0.25.

import { ACT_GAIN, SE_GAIN, convBnAct, gemm, makeDivisible, outSize, squeezeExcite, type Activation } from './layers.js';
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

interface Bneck {
  readonly k: number;
  readonly expanded: number;
  readonly out: number;
  readonly se: boolean;
  readonly act: Activation;
  readonly stride: number;
}

const b = (k: number, expanded: number, out: number, se: boolean, act: Activation, stride: number): Bneck =>
  ({ k, expanded, out, se, act, stride });

/** torchvision's "mobilenet_v3_small" configuration (input channels follow from the previous row). */
const BNECKS: readonly Bneck[] = [
  b(3, 16, 16, true, 'relu', 2),
  b(3, 72, 24, false, 'relu', 2),
  b(3, 88, 24, false, 'relu', 1),
  b(5, 96, 40, true, 'hardswish', 2),
  b(5, 240, 40, true, 'hardswish', 1),
  b(5, 240, 40, true, 'hardswish', 1),
  b(5, 120, 48, true, 'hardswish', 1),
  b(5, 144, 48, true, 'hardswish', 1),
  b(5, 288, 96, true, 'hardswish', 2),
  b(5, 576, 96, true, 'hardswish', 1),
  b(5, 576, 96, true, 'hardswish', 1),
];

/**
 * One bneck on a `size`x`size` input. The block's input is the previous block's linear projection,
 * except the first block's, which is the stem's HardSwish.
 */
function block(net: Net, x: string, cin: number, s: Bneck, widthMult: number, size: number, inputGain: number, scope: string): { y: string; cout: number } {
  const expanded = makeDivisible(s.expanded * widthMult);
  const cout = makeDivisible(s.out * widthMult);
  const residual = s.stride === 1 && cin === cout;
  let y = x;
  let i = 0;
  let gain = inputGain;
  if (expanded !== cin) {
    y = convBnAct(net, y, { cin, cout: expanded, k: 1, gain, act: s.act }, `${scope}.block.${i++}`);
    gain = ACT_GAIN[s.act];
  }
  y = convBnAct(net, y, { cin: expanded, cout: expanded, k: s.k, stride: s.stride, groups: expanded, size, gain, act: s.act }, `${scope}.block.${i++}`);
  gain = ACT_GAIN[s.act];
  if (s.se) {
    y = squeezeExcite(net, y, expanded, makeDivisible(Math.floor(expanded / 4)), 'hard', `${scope}.block.${i++}`);
    gain *= SE_GAIN;
  }
  y = convBnAct(net, y, { cin: expanded, cout, k: 1, gain, act: 'none', gamma: residual ? [0.3, 0.6] : undefined }, `${scope}.block.${i}`);
  return { y: residual ? net.op('Add', [y, x], {}, scope) : y, cout };
}

function build(size: ZooSize, seed = ZOO_SEED): Uint8Array {
  const c = CONFIGS[size];
  const net = new Net(seed, 'mobilenet-v3-small');
  const input = net.input('input', 'float32', [1, 3, c.image, c.image]);
  let cin = makeDivisible(16 * c.widthMult);
  let x = convBnAct(net, input, { cin: 3, cout: cin, k: 3, stride: 2, size: c.image, gain: 1, act: 'hardswish' }, 'features.0');
  let hw = outSize(c.image, 3, 2, 1);
  BNECKS.forEach((s, i) => {
    const r = block(net, x, cin, s, c.widthMult, hw, i === 0 ? ACT_GAIN.hardswish : 1, `features.${i + 1}`);
    hw = outSize(hw, s.k, s.stride, Math.floor(s.k / 2));
    x = r.y;
    cin = r.cout;
  });
  const lastConv = 6 * cin;
  x = convBnAct(net, x, { cin, cout: lastConv, k: 1, gain: 1, act: 'hardswish' }, `features.${BNECKS.length + 1}`);
  x = net.op('GlobalAveragePool', [x], {}, 'avgpool');
  x = net.op('Flatten', [x], { axis: 1 }, '');
  const lastChannel = makeDivisible(1024 * c.widthMult);
  x = net.op('HardSwish', [gemm(net, x, lastConv, lastChannel, 'classifier.0', ACT_GAIN.hardswish)], {}, 'classifier.1');
  // classifier.2 is Dropout, gone in eval mode.
  net.output(gemm(net, x, lastChannel, c.classes, 'classifier.3', ACT_GAIN.hardswish, 'logits'), 'float32', [1, c.classes]);
  return net.encode();
}

export const mobilenetV3Small: ZooModel = {
  name: 'mobilenet-v3-small',
  description: 'MobileNetV3-Small (HardSwish, squeeze-excite with HardSigmoid, 5x5 depthwise convs, Flatten, two Gemms); fixed batch 1',
  build,
  inputs: (size) => ({ input: [1, 3, CONFIGS[size].image, CONFIGS[size].image] }),
};
