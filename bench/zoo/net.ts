// A zoo model under construction: freight's OnnxBuilder plus seeded weights and the names the
// PyTorch exporter writes (node '/layer1/0/conv1/Conv', output '/layer1/0/conv1/Conv_output_0',
// initializer 'layer1.0.conv1.weight'), so the zoo's graphs read like exported ones.

import seedrandom from 'seedrandom';
import { OnnxBuilder, type AttrValues, type DimSpec } from '../../ir/onnx/index.js';
import { normal, uniform, type Rng } from '../../ir/testing/random.js';
import { fromNumbers, scalar, type Tensor } from '../../ir/tensor.js';

/** The PyTorch exporter's default opset, which every zoo model uses. */
export const ZOO_OPSET = 17;

export class Net {
  readonly b: OnnxBuilder;
  private readonly r: Rng;
  /** How many nodes each node name has had, so repeats get the exporter's '_1', '_2' suffixes. */
  private readonly names = new Map<string, number>();

  constructor(seed: number, graphName: string) {
    this.b = new OnnxBuilder({ opset: ZOO_OPSET, producer: 'freight-zoo', graphName });
    // Alea rather than seedrandom's default ARC4: ViT-B/16 alone draws 86 M numbers.
    this.r = seedrandom.alea(`${graphName}:${seed}`);
  }

  input(name: string, dtype: string, dims: readonly DimSpec[]): string {
    return this.b.input(name, dtype, dims);
  }

  output(name: string, dtype: string, dims: readonly DimSpec[]): string {
    return this.b.output(name, dtype, dims);
  }

  /** A node named after its module path `scope` ('layer1.0.conv1'); returns its output. */
  op(type: string, inputs: readonly string[], attrs: AttrValues, scope: string, outputName?: string): string {
    const name = this.nodeName(type, scope);
    return this.b.op(type, inputs, attrs, { name, outputs: [outputName ?? `${name}_output_0`] });
  }

  /** A node with `count` outputs (Split). */
  opN(type: string, inputs: readonly string[], attrs: AttrValues, scope: string, count: number): string[] {
    const name = this.nodeName(type, scope);
    const outputs = Array.from({ length: count }, (_, i) => `${name}_output_${i}`);
    return this.b.node(type, inputs, attrs, { name, outputs });
  }

  private nodeName(type: string, scope: string): string {
    const path = scope === '' ? '' : `/${scope.split('.').join('/')}`;
    const base = `${path}/${type}`;
    const k = this.names.get(base) ?? 0;
    this.names.set(base, k + 1);
    return k === 0 ? base : `${base}_${k}`;
  }

  /** A Constant node, as the exporter writes for scalars, axes and shapes. */
  constant(t: Tensor, scope: string): string {
    return this.op('Constant', [], { value: t }, scope);
  }

  ints(values: readonly number[], scope: string): string {
    return this.constant(fromNumbers('int64', [values.length], values), scope);
  }

  int(value: number, scope: string): string {
    return this.constant(scalar('int64', value), scope);
  }

  float(value: number, scope: string): string {
    return this.constant(scalar('float32', value), scope);
  }

  floats(values: readonly number[], scope: string): string {
    return this.constant(fromNumbers('float32', [values.length], values), scope);
  }

  param(name: string, t: Tensor): string {
    return this.b.initializer(name, t);
  }

  /**
   * Weights uniform in ±sqrt(3 gain / fanIn) (PyTorch initializes uniformly too): variance
   * gain / fanIn, so a layer keeps its input's second moment when `gain` is 1 / E[x²] of its input
   * per unit variance (2 after a ReLU: He), and activations hold their scale through depth.
   */
  weight(name: string, shape: readonly number[], fanIn: number, gain = 2): string {
    const bound = Math.sqrt((3 * gain) / fanIn);
    return this.param(name, uniform(this.r, shape, -bound, bound));
  }

  /** Small biases, as trained networks have: they shift activations without dominating them. */
  bias(name: string, n: number, scale = 0.05): string {
    return this.param(name, uniform(this.r, [n], -scale, scale));
  }

  uniform(name: string, shape: readonly number[], lo: number, hi: number): string {
    return this.param(name, uniform(this.r, shape, lo, hi));
  }

  normal(name: string, shape: readonly number[], std: number): string {
    return this.param(name, normal(this.r, shape, std));
  }

  encode(): Uint8Array {
    return this.b.encode();
  }
}
