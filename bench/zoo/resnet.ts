// ResNet with basic blocks in the ResNet-18 layout (torchvision): 7x7/2 stem, MaxPool, four
// stages of two blocks, a 1x1 conv + BN shortcut where the shape changes, GlobalAveragePool,
// flatten through the Shape chain, Gemm. Small: 32x32 input, width 8 (x0.125, so the
// example file stays under 1 MB), 10 classes.

import { batchNorm, conv, flattenByShape, gemm, outSize } from './layers.js';
import { Net } from './net.js';
import { ZOO_SEED, type ZooModel, type ZooSize } from './zoo-model.js';

interface Config {
  readonly image: number;
  readonly width: number;
  readonly blocks: readonly number[];
  readonly classes: number;
}

const CONFIGS: Record<ZooSize, Config> = {
  small: { image: 32, width: 8, blocks: [2, 2, 2, 2], classes: 10 },
  full: { image: 224, width: 64, blocks: [2, 2, 2, 2], classes: 1000 },
};

/** A basic block on a `size`x`size` input; every conv in it reads a ReLU output (He init). */
function basicBlock(net: Net, x: string, cin: number, cout: number, stride: number, size: number, scope: string): string {
  // torchvision names: conv1/bn1/conv2/bn2 and downsample.0 (conv) / downsample.1 (bn).
  let y = batchNorm(net, conv(net, x, { cin, cout, k: 3, stride, size }, `${scope}.conv1`), cout, `${scope}.bn1`);
  y = net.op('Relu', [y], {}, `${scope}.relu`);
  const mid = outSize(size, 3, stride, 1);
  y = batchNorm(net, conv(net, y, { cin: cout, cout, k: 3, size: mid }, `${scope}.conv2`), cout, `${scope}.bn2`, [0.3, 0.6]);
  const shortcut = stride !== 1 || cin !== cout
    ? batchNorm(net, conv(net, x, { cin, cout, k: 1, stride, pad: 0 }, `${scope}.downsample.0`), cout, `${scope}.downsample.1`)
    : x;
  return net.op('Relu', [net.op('Add', [y, shortcut], {}, scope)], {}, `${scope}.relu_1`);
}

function build(size: ZooSize, seed = ZOO_SEED): Uint8Array {
  const c = CONFIGS[size];
  const net = new Net(seed, 'resnet');
  const input = net.input('input', 'float32', ['batch', 3, c.image, c.image]);
  // torchvision's stem is not a Conv2dNormActivation; its names are conv1/bn1/relu.
  let x = batchNorm(net, conv(net, input, { cin: 3, cout: c.width, k: 7, stride: 2, size: c.image, gain: 1 }, 'conv1'), c.width, 'bn1');
  x = net.op('Relu', [x], {}, 'relu');
  x = net.op('MaxPool', [x], { ceil_mode: 0, dilations: [1, 1], kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }, 'maxpool');
  let hw = outSize(outSize(c.image, 7, 2, 3), 3, 2, 1);
  let cin = c.width;
  c.blocks.forEach((n, stage) => {
    const cout = c.width << stage;
    for (let i = 0; i < n; i++) {
      const stride = i === 0 && stage > 0 ? 2 : 1;
      x = basicBlock(net, x, cin, cout, stride, hw, `layer${stage + 1}.${i}`);
      hw = outSize(hw, 3, stride, 1);
      cin = cout;
    }
  });
  x = net.op('GlobalAveragePool', [x], {}, 'avgpool');
  x = flattenByShape(net, x, '');
  net.output(gemm(net, x, cin, c.classes, 'fc', 1, 'logits'), 'float32', ['batch', c.classes]);
  return net.encode();
}

export const resnet: ZooModel = {
  name: 'resnet',
  description: 'ResNet-18 layout (basic blocks, 1x1 conv + BN downsample shortcuts, MaxPool stem, Shape-chain flatten, Gemm head); dynamic batch',
  build,
  inputs: (size) => ({ input: [1, 3, CONFIGS[size].image, CONFIGS[size].image] }),
};
