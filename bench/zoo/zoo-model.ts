// What a zoo model is: a name, a builder of its ONNX bytes at two sizes, and the input shapes to
// bind (`--shape NAME=...`). Dtypes come from the model itself; the inputs' declared dims name
// which axes are dynamic.

export type ZooSize = 'small' | 'full';

export interface ZooModel {
  /** Stable id, also the example file name. */
  readonly name: string;
  /** One line: the architecture and what of the exporter's output it exercises. */
  readonly description: string;
  /** The .onnx bytes; the same seed gives the same bytes. */
  build(size: ZooSize, seed?: number): Uint8Array;
  /** The shape of every graph input at this size, dynamic dimensions bound. */
  inputs(size: ZooSize): Record<string, number[]>;
}

/** The default weight seed. */
export const ZOO_SEED = 0;
