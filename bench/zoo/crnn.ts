// A CRNN-style text recognizer (after crnn.pytorch): seven convs (with bias; BN after convs 2, 4
// and 6) and MaxPools, the last two pools [2,1]/[2,1] so height falls to 1 while width stays the
// sequence; Squeeze of the height, then a sequence model without recurrence (freight has no LSTM):
// two residual 1-D convs over [batch, channels, time], a Transpose to [time, batch, channels], a
// MatMul mixing layer standing in for the BiLSTM, a MatMul/Add projection to classes and LogSoftmax
// (the CTC head). Input [batch, 1, 32, width] with batch and width dynamic. Full: widths 64..512,
// 32x128 input; small: widths 8..64, 32x64 input. 37 classes (blank, digits, letters).

import { batchNorm, conv, outSize } from './layers.js';
import { Net } from './net.js';
import { linear } from './transformer-layers.js';
import { ZOO_SEED, type ZooModel, type ZooSize } from './zoo-model.js';

interface Config {
  readonly width: number;
  /** Channels of each conv of the backbone. */
  readonly channels: readonly number[];
  /** Features of the mixing layer (a BiLSTM's 2 x hidden). */
  readonly hidden: number;
}

const CONFIGS: Record<ZooSize, Config> = {
  small: { width: 64, channels: [8, 16, 32, 32, 64, 64, 64], hidden: 64 },
  full: { width: 128, channels: [64, 128, 256, 256, 512, 512, 512], hidden: 512 },
};

const HEIGHT = 32;
const CLASSES = 37;

/** After conv i: a MaxPool with this kernel = stride [h, w], or none. */
const POOLS: readonly (readonly [number, number] | undefined)[] = [[2, 2], [2, 2], undefined, [2, 1], undefined, [2, 1], undefined];

function backbone(net: Net, image: string, c: Config): { x: string; channels: number; height: number } {
  let x = image;
  let cin = 1;
  let height = HEIGHT;
  c.channels.forEach((cout, i) => {
    // The last conv is 2x2 without padding: it takes the remaining height of 2 down to 1.
    const last = i === c.channels.length - 1;
    const k = last ? 2 : 3;
    // The image is linear; a max over ReLU outputs has about twice their second moment: gain 1
    // for both, He's 2 after a plain ReLU.
    const gain = i === 0 || POOLS[i - 1] !== undefined ? 1 : 2;
    x = conv(net, x, { cin, cout, k, pad: last ? 0 : 1, bias: true, gain }, `cnn.conv${i}`);
    if (i % 2 === 0 && i > 0) x = batchNorm(net, x, cout, `cnn.batchnorm${i}`);
    x = net.op('Relu', [x], {}, `cnn.relu${i}`);
    height = outSize(height, k, 1, last ? 0 : 1);
    const pool = POOLS[i];
    if (pool) {
      x = net.op('MaxPool', [x], { ceil_mode: 0, kernel_shape: [...pool], pads: [0, 0, 0, 0], strides: [...pool] }, `cnn.pooling${i}`);
      height = outSize(height, pool[0], pool[0], 0);
    }
    cin = cout;
  });
  return { x, channels: cin, height };
}

/** A residual 1-D conv over time: the context a BiLSTM would give, without recurrence. */
function temporalConv(net: Net, x: string, channels: number, scope: string): string {
  const w = net.weight(`${scope}.weight`, [channels, channels, 3], channels * 3, 2);
  const y = net.op('Conv', [x, w, net.bias(`${scope}.bias`, channels)], {
    dilations: [1], group: 1, kernel_shape: [3], pads: [1, 1], strides: [1],
  }, scope);
  // Half the branch, as a trained residual would, so the sum stays near the input's scale.
  const branch = net.op('Mul', [net.op('Relu', [y], {}, scope), net.float(0.5, scope)], {}, scope);
  return net.op('Add', [x, branch], {}, scope);
}

function build(size: ZooSize, seed = ZOO_SEED): Uint8Array {
  const c = CONFIGS[size];
  const net = new Net(seed, 'crnn');
  const image = net.input('image', 'float32', ['batch', 1, HEIGHT, 'width']);
  const features = backbone(net, image, c);
  if (features.height !== 1) throw new Error(`crnn: the backbone leaves height ${features.height}, not 1`);

  // conv.squeeze(2): [batch, channels, 1, time] → [batch, channels, time].
  let x = net.op('Squeeze', [features.x, net.ints([2], '')], {}, '');
  x = temporalConv(net, x, features.channels, 'rnn.0');
  x = temporalConv(net, x, features.channels, 'rnn.1');
  // conv.permute(2, 0, 1): [time, batch, channels], the layout CTC wants.
  x = net.op('Transpose', [x], { perm: [2, 0, 1] }, '');
  x = net.op('Relu', [linear(net, x, features.channels, c.hidden, 'rnn.mix', 2)], {}, 'rnn.mix');
  const logits = linear(net, x, c.hidden, CLASSES, 'rnn.embedding', 1);
  net.output(net.op('LogSoftmax', [logits], { axis: 2 }, '', 'log_probs'), 'float32', ['time', 'batch', CLASSES]);
  return net.encode();
}

export const crnn: ZooModel = {
  name: 'crnn',
  description: 'a CRNN text recognizer (conv backbone with [2,1] MaxPools, Squeeze, 1-D convs, Transpose to [T, N, C], MatMul mixing, LogSoftmax CTC head); dynamic batch and width',
  build,
  inputs: (size) => ({ image: [1, 1, HEIGHT, CONFIGS[size].width] }),
};
