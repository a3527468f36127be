// The model zoo: architectures written with freight's own ONNX builder the way the PyTorch
// exporter writes them, at a small size (tests, examples) and the real size (benchmarks).

import { bertEncoder, bertLayer } from './bert-layer.js';
import { crnn } from './crnn.js';
import { efficientnetB0 } from './efficientnet-b0.js';
import { mobilenetV2 } from './mobilenet-v2.js';
import { mobilenetV3Small } from './mobilenet-v3-small.js';
import { resnet } from './resnet.js';
import { unet } from './unet.js';
import { vitBlock } from './vit-block.js';
import type { ZooModel } from './zoo-model.js';

export type { ZooModel, ZooSize } from './zoo-model.js';
export { ZOO_SEED } from './zoo-model.js';

export const ZOO: readonly ZooModel[] = [resnet, mobilenetV2, mobilenetV3Small, efficientnetB0, bertLayer, vitBlock, unet, crnn];

/** Models for benchmarks only: too big for the tests' interpreters at any size. */
export const BENCH_ONLY: readonly ZooModel[] = [bertEncoder];

export function zooModel(name: string): ZooModel | undefined {
  return ZOO.find((m) => m.name === name);
}
