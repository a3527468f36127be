// A UNet (after milesial/Pytorch-UNet): double convs (Conv-BN-Relu ×2) and MaxPool down four
// levels; up the other side alternately by ConvTranspose (k2, s2) and by Resize with a Constant
// scales input (bilinear with align_corners, then nearest), each concatenated with the encoder's
// skip; a 1x1 conv to class logits. Fixed batch of 1. Full: 224x224, widths 64..1024, 2 classes.
// Small: 32x32 (2x2 at the bottom), widths 8..128.

import { batchNorm, conv, outSize } from './layers.js';
import { Net } from './net.js';
import { ZOO_SEED, type ZooModel, type ZooSize } from './zoo-model.js';

interface Config {
  readonly image: number;
  readonly width: number;
  readonly classes: number;
}

const CONFIGS: Record<ZooSize, Config> = {
  small: { image: 32, width: 8, classes: 2 },
  full: { image: 224, width: 64, classes: 2 },
};

const LEVELS = 4;

type Upsample = 'transpose' | 'linear' | 'nearest';

/** The decoder's up-steps, from the bottom: each kind of upsampling exporters produce, twice over. */
const UPSAMPLES: readonly Upsample[] = ['transpose', 'linear', 'transpose', 'nearest'];

/** (Conv 3x3 → BN → ReLU) ×2; the first conv reads a ReLU output or a concatenation of them. */
function doubleConv(net: Net, x: string, cin: number, cout: number, hw: number, scope: string, gain = 2): string {
  let y = batchNorm(net, conv(net, x, { cin, cout, k: 3, size: hw, gain }, `${scope}.double_conv.0`), cout, `${scope}.double_conv.1`);
  y = net.op('Relu', [y], {}, `${scope}.double_conv.2`);
  y = batchNorm(net, conv(net, y, { cin: cout, cout, k: 3, size: hw }, `${scope}.double_conv.3`), cout, `${scope}.double_conv.4`);
  return net.op('Relu', [y], {}, `${scope}.double_conv.5`);
}

/** Doubles the height and width of x ([*, channels, hw, hw]); ConvTranspose also halves the channels. */
function upsample(net: Net, x: string, channels: number, kind: Upsample, scope: string): { y: string; channels: number } {
  if (kind === 'transpose') {
    const out = channels / 2;
    // A stride-2 2x2 transposed conv writes each output from exactly one tap: fan-in = input channels.
    const w = net.weight(`${scope}.up.weight`, [channels, out, 2, 2], channels);
    const y = net.op('ConvTranspose', [x, w, net.bias(`${scope}.up.bias`, out)], {
      dilations: [1, 1], group: 1, kernel_shape: [2, 2], output_padding: [0, 0], pads: [0, 0, 0, 0], strides: [2, 2],
    }, `${scope}.up`);
    return { y, channels: out };
  }
  // nn.Upsample(scale_factor=2): roi omitted, scales a Constant, the rest spelled out as torch does.
  const scales = net.floats([1, 1, 2, 2], `${scope}.up`);
  const attrs = kind === 'linear'
    ? { coordinate_transformation_mode: 'align_corners', cubic_coeff_a: net.b.float(-0.75), mode: 'linear', nearest_mode: 'floor' }
    : { coordinate_transformation_mode: 'asymmetric', cubic_coeff_a: net.b.float(-0.75), mode: 'nearest', nearest_mode: 'floor' };
  return { y: net.op('Resize', [x, '', scales], attrs, `${scope}.up`), channels };
}

function build(size: ZooSize, seed = ZOO_SEED): Uint8Array {
  const c = CONFIGS[size];
  const net = new Net(seed, 'unet');
  const image = net.input('image', 'float32', [1, 3, c.image, c.image]);

  let hw = c.image;
  let x = doubleConv(net, image, 3, c.width, hw, 'inc', 1);
  const skips: { x: string; channels: number }[] = [{ x, channels: c.width }];
  for (let level = 1; level <= LEVELS; level++) {
    const scope = `down${level}.maxpool_conv`;
    const pooled = net.op('MaxPool', [x], { ceil_mode: 0, kernel_shape: [2, 2], pads: [0, 0, 0, 0], strides: [2, 2] }, `${scope}.0`);
    hw = outSize(hw, 2, 2, 0);
    // A max over 2x2 ReLU outputs has 2-3 times their second moment: gain 1 rather than He's 2.
    x = doubleConv(net, pooled, c.width << (level - 1), c.width << level, hw, `${scope}.1`, 1);
    skips.push({ x, channels: c.width << level });
  }

  let channels = c.width << LEVELS;
  UPSAMPLES.forEach((kind, i) => {
    const scope = `up${i + 1}`;
    const up = upsample(net, x, channels, kind, scope);
    hw *= 2;
    const skip = skips[LEVELS - 1 - i];
    // milesial's Up: torch.cat([skip, upsampled], dim=1).
    const joined = net.op('Concat', [skip.x, up.y], { axis: 1 }, scope);
    channels = skip.channels;
    x = doubleConv(net, joined, skip.channels + up.channels, channels, hw, `${scope}.conv`);
  });

  const logits = conv(net, x, { cin: channels, cout: c.classes, k: 1, pad: 0, bias: true, gain: 1 }, 'outc.conv', 'logits');
  net.output(logits, 'float32', [1, c.classes, c.image, c.image]);
  return net.encode();
}

export const unet: ZooModel = {
  name: 'unet',
  description: 'a UNet (double conv + MaxPool encoder; decoder by ConvTranspose, bilinear and nearest Resize with Constant scales; Concat skips); fixed batch 1',
  build,
  inputs: (size) => ({ image: [1, 3, CONFIGS[size].image, CONFIGS[size].image] }),
};
