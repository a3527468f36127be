// Bad bytes: whatever the input, importOnnx returns a RawModel or throws a FreightError, never
// another exception. Cut models, random bytes (seeded), flipped bytes and the empty file.

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { FreightError } from '../errors.js';
import { tensorOf } from '../tensor.js';
import { float, floats, importOnnx, OnnxBuilder } from './index.js';

/** A small model touching most of the importer: every attribute kind, typed and raw data, Constant, normalization. */
function sampleModel(): Uint8Array {
  const b = new OnnxBuilder({ opset: 9, producer: 'bad-input-test' });
  const x = b.input('x', 'float32', ['N', 3, 4, 4]);
  const w = b.initializer('w', tensorOf('float32', [2, 3, 1, 1], [1, 2, 3, 4, 5, 6]));
  const shape = b.constant('shape', tensorOf('int64', [2], [1, -1]));
  const y = b.op('Conv', [x, w], { pads: [0, 0, 0, 0], strides: [1, 1], auto_pad: 'NOTSET' });
  const z = b.op('LeakyRelu', [y], { alpha: float(0.1) });
  const u = b.op('Upsample', [z, b.initializer('s', tensorOf('float32', [4], [1, 1, 2, 2]))], { mode: 'nearest' });
  const s = b.op('Slice', [u], { starts: [0], ends: [9223372036854775807n], axes: [1] });
  const p = b.op('Probe', [s], { t: tensorOf('int32', [2], [1, 2]), ss: ['a', 'b'], fs: floats([0.5, 2]), i: 3 }, { domain: 'x.y' });
  b.output(b.op('Reshape', [b.op('Softmax', [p]), shape]), 'float32', ['N', null]);
  return b.encode();
}

function outcome(bytes: Uint8Array): 'ok' | 'freight-error' {
  try {
    importOnnx(bytes, { modelPath: 'model.onnx' });
    return 'ok';
  } catch (e) {
    if (e instanceof FreightError) return 'freight-error';
    throw new Error(`a ${(e as Error).constructor.name} escaped for these bytes: ${(e as Error).message}`, { cause: e });
  }
}

describe('bad input', () => {
  const model = sampleModel();

  it('imports the intact sample', () => {
    expect(outcome(model)).toBe('ok');
  });

  it('refuses the empty file as a model without graph', () => {
    expect(() => importOnnx(new Uint8Array(0), { modelPath: 'model.onnx' })).toThrow(
      new FreightError('model.onnx has no graph: the file is empty.'),
    );
  });

  it('refuses every cut of the model with a FreightError', () => {
    for (let cut = 0; cut < model.length; cut++) {
      expect([cut, outcome(model.subarray(0, cut))]).toEqual([cut, 'freight-error']);
    }
  });

  it('names a truncated protobuf as such', () => {
    expect(() => importOnnx(model.subarray(0, model.length - 3), { modelPath: 'model.onnx' })).toThrow(
      /^model\.onnx is not a valid ONNX model: the protobuf is truncated or corrupt \(.+\)\.$/,
    );
  });

  it('refuses random bytes with a FreightError', () => {
    const rng = seedrandom('freight-random-bytes');
    for (let k = 0; k < 3000; k++) {
      const bytes = new Uint8Array(1 + Math.floor(rng() * 400));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256);
      expect(outcome(bytes)).toBe('freight-error');
    }
  });

  it('never lets another exception out of flipped bytes', () => {
    const rng = seedrandom('freight-flipped-bytes');
    const seen = { ok: 0, 'freight-error': 0 };
    for (let k = 0; k < 2000; k++) {
      const bytes = model.slice();
      const flips = 1 + Math.floor(rng() * 4);
      for (let f = 0; f < flips; f++) bytes[Math.floor(rng() * bytes.length)] = Math.floor(rng() * 256);
      seen[outcome(bytes)]++;
    }
    // Both kinds occur: some flips only change weights or names.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen['freight-error']).toBeGreaterThan(0);
  });

  it('survives deeply nested garbage', () => {
    // graph (field 7) -> node (1) -> attribute (5) -> g (6) -> node -> ... nested until the stack ends.
    let inner: Uint8Array = new Uint8Array(0);
    for (let depth = 0; depth < 3000; depth++) {
      const tag = depth % 2 === 0 ? 0x2a /* attribute: field 5, wire 2 */ : 0x32 /* g / node: field 6 or 1 */;
      inner = wrap(depth % 2 === 0 ? tag : 0x0a, inner);
    }
    expect(outcome(wrap(0x3a, inner))).toBe('freight-error');
  });
});

function wrap(tag: number, body: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = body.length;
  do {
    len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  const out = new Uint8Array(1 + len.length + body.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(body, 1 + len.length);
  return out;
}
