// External data: read when it is a plain file inside the model's folder, refused (naming the
// tensor and the location, before any byte is read) in every other case.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FreightError } from '../errors.js';
import { tensorOf } from '../tensor.js';
import { encodeModel, importOnnx, loadOnnxFile, OnnxBuilder, type ExternalPlacement } from './index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freight-ext-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const WEIGHTS = tensorOf('float32', [2, 2], [1, 2, 3, 4]);

/** Writes model.onnx whose initializer "w" lives in `placement`; writes the data files unless told not to. */
function writeModel(placement: ExternalPlacement, writeData = true): string {
  const b = new OnnxBuilder({ opset: 17 });
  b.output(b.op('Relu', [b.initializer('w', WEIGHTS, { external: placement })]), 'float32');
  if (writeData) for (const [loc, bytes] of b.externalFiles()) fs.writeFileSync(path.resolve(dir, loc), bytes);
  const modelPath = path.join(dir, 'model.onnx');
  fs.writeFileSync(modelPath, b.encode());
  return modelPath;
}

function refusal(modelPath: string, location: string, why: string): FreightError {
  return new FreightError(`${modelPath}: initializer "w" keeps its data in external file "${location}", which is refused: ${why}.`);
}

describe('external data accepted', () => {
  it('reads a file beside the model, at an offset', () => {
    const modelPath = writeModel({ location: 'w.bin', offset: 64 });
    expect(loadOnnxFile(modelPath).graph.initializers.get('w')).toEqual(WEIGHTS);
  });

  it('reads a file in a subfolder, without a length key', () => {
    fs.mkdirSync(path.join(dir, 'data'));
    const b = new OnnxBuilder();
    b.output(b.initializer('w', WEIGHTS, { external: { location: 'data/w.bin' } }));
    fs.writeFileSync(path.join(dir, 'data/w.bin'), b.externalFiles().get('data/w.bin')!);
    const m = b.toProto();
    m.graph!.initializer![0].externalData = m.graph!.initializer![0].externalData!.filter((e) => e.key !== 'length');
    const modelPath = path.join(dir, 'model.onnx');
    fs.writeFileSync(modelPath, encodeModel(m));
    expect(loadOnnxFile(modelPath).graph.initializers.get('w')).toEqual(WEIGHTS);
  });
});

describe('external data refused', () => {
  it('without the model path', () => {
    const modelPath = writeModel({ location: 'w.bin' });
    expect(() => importOnnx(fs.readFileSync(modelPath))).toThrow(
      "(in-memory model): initializer \"w\" keeps its data in external file \"w.bin\", which is refused: external data can only be read when the model is loaded from a file.",
    );
  });

  it('for an absolute path', () => {
    const target = path.join(dir, 'w.bin');
    const modelPath = writeModel({ location: target });
    expect(() => loadOnnxFile(modelPath)).toThrow(refusal(modelPath, target, 'the location is an absolute path'));
  });

  it('for a ../ escape, even to an existing file', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'freight-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'w.bin'), new Uint8Array(16));
      const location = `../${path.basename(outside)}/w.bin`;
      const modelPath = writeModel({ location }, false);
      expect(() => loadOnnxFile(modelPath)).toThrow(refusal(modelPath, location, "it lies outside the model's folder"));
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('for a symbolic link, even to a file inside the folder', () => {
    const modelPath = writeModel({ location: 'link.bin' }, false);
    fs.writeFileSync(path.join(dir, 'real.bin'), new Uint8Array(16));
    fs.symlinkSync('real.bin', path.join(dir, 'link.bin'));
    expect(() => loadOnnxFile(modelPath)).toThrow(refusal(modelPath, 'link.bin', 'it is a symbolic link'));
  });

  it('for a folder on the way that links outside', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'freight-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'w.bin'), new Uint8Array(16));
      fs.symlinkSync(outside, path.join(dir, 'sub'));
      const modelPath = writeModel({ location: 'sub/w.bin' }, false);
      expect(() => loadOnnxFile(modelPath)).toThrow(refusal(modelPath, 'sub/w.bin', "its real path lies outside the model's folder"));
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('for a hard link', () => {
    const modelPath = writeModel({ location: 'w.bin' });
    fs.linkSync(path.join(dir, 'w.bin'), path.join(dir, 'other.bin'));
    expect(() => loadOnnxFile(modelPath)).toThrow(refusal(modelPath, 'w.bin', 'it is a hard link (the file has 2 names)'));
  });

  it('for a range beyond the end of the file', () => {
    const modelPath = writeModel({ location: 'w.bin', offset: 8 });
    fs.truncateSync(path.join(dir, 'w.bin'), 20);
    expect(() => loadOnnxFile(modelPath)).toThrow(
      refusal(modelPath, 'w.bin', 'bytes 8 to 24 lie beyond the end of the file (20 bytes)'),
    );
  });

  it('for a length that does not match the shape', () => {
    const modelPath = writeModel({ location: 'w.bin', length: 1 << 30 });
    expect(() => loadOnnxFile(modelPath)).toThrow(
      refusal(modelPath, 'w.bin', "its length is 1073741824 bytes but the tensor's shape needs 16"),
    );
  });

  it('for a missing file, a folder, and no location', () => {
    const modelPath = writeModel({ location: 'missing.bin' }, false);
    expect(() => loadOnnxFile(modelPath)).toThrow(refusal(modelPath, 'missing.bin', 'no such file'));
    fs.mkdirSync(path.join(dir, 'folder.bin'));
    const folderModel = writeModel({ location: 'folder.bin' }, false);
    expect(() => loadOnnxFile(folderModel)).toThrow(refusal(folderModel, 'folder.bin', 'it is not a regular file'));
    const noLocation = writeModel({ location: '' }, false);
    expect(() => loadOnnxFile(noLocation)).toThrow(refusal(noLocation, '', 'no location is given'));
  });

  it('for bad offsets and NUL characters', () => {
    const b = new OnnxBuilder();
    b.output(b.initializer('w', WEIGHTS, { external: { location: 'w.bin' } }));
    const m = b.toProto();
    const entries = m.graph!.initializer![0].externalData!;
    entries[1].value = '-4';
    const modelPath = path.join(dir, 'model.onnx');
    fs.writeFileSync(modelPath, encodeModel(m));
    expect(() => loadOnnxFile(modelPath)).toThrow(refusal(modelPath, 'w.bin', 'its offset "-4" is not a byte count'));
    entries[1].value = '0';
    entries[0].value = 'w\0.bin';
    fs.writeFileSync(modelPath, encodeModel(m));
    expect(() => loadOnnxFile(modelPath)).toThrow('which is refused: the location contains a NUL character.');
  });
});

describe('loadOnnxFile', () => {
  it('names a missing file', () => {
    const missing = path.join(dir, 'nope.onnx');
    expect(() => loadOnnxFile(missing)).toThrow(new FreightError(`cannot read ${missing}: no such file.`));
    expect(() => loadOnnxFile(dir)).toThrow(new FreightError(`cannot read ${dir}: it is a folder.`));
  });

  it('names an empty file', () => {
    const empty = path.join(dir, 'empty.onnx');
    fs.writeFileSync(empty, new Uint8Array(0));
    expect(() => loadOnnxFile(empty)).toThrow(new FreightError(`${empty} has no graph: the file is empty.`));
  });
});
