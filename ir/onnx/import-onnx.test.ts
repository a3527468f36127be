// Model-level checks of the importer: opsets, and names that must be unique or must resolve.
// Each refusal is one FreightError sentence naming the model and the culprit.

import { describe, expect, it } from 'vitest';
import type { onnx as pb } from 'onnx-proto';
import { FreightError } from '../errors.js';
import { tensorOf } from '../tensor.js';
import { encodeModel, importOnnx, OnnxBuilder } from './index.js';

function reluModel(opset = 13): OnnxBuilder {
  const b = new OnnxBuilder({ opset });
  b.output(b.op('Relu', [b.input('x', 'float32', [2])], {}, { name: 'relu' }), 'float32', [2]);
  return b;
}

function importEdited(edit: (m: pb.IModelProto) => void, b = reluModel()): unknown {
  const m = b.toProto();
  edit(m);
  return importOnnx(encodeModel(m), { modelPath: 'model.onnx' });
}

describe('opsets', () => {
  it.each([7, 13, 21])('accepts opset %i', (opset) => {
    expect(importOnnx(reluModel(opset).encode()).opset).toBe(opset);
  });
  it('refuses opsets below 7 and above 21, naming the opset', () => {
    expect(() => importEdited((m) => { m.opsetImport = [{ domain: '', version: 6 }]; })).toThrow(
      new FreightError('model.onnx: the model uses opset 6, older than freight reads (7 to 21); convert it with onnx.version_converter.'),
    );
    expect(() => importEdited((m) => { m.opsetImport = [{ domain: 'ai.onnx', version: 22 }]; })).toThrow(
      'model.onnx: the model uses opset 22, newer than freight reads (7 to 21)',
    );
  });
  it('refuses a model without a default-domain opset, or with two', () => {
    expect(() => importEdited((m) => { m.opsetImport = [{ domain: 'com.microsoft', version: 1 }]; })).toThrow(
      'model.onnx: the model imports no opset of the default ONNX domain.',
    );
    expect(() => importEdited((m) => { m.opsetImport = [{ domain: '', version: 13 }, { domain: 'ai.onnx', version: 12 }]; })).toThrow(
      'at opsets 13 and 12',
    );
  });
});

describe('names', () => {
  it('refuses a value produced twice', () => {
    const b = reluModel();
    b.op('Neg', ['x'], {}, { name: 'neg', outputs: ['relu_out'] });
    expect(() => importOnnx(b.encode())).toThrow(
      new FreightError('(in-memory model): value "relu_out" is produced twice: by node "relu" (Relu) and by node "neg" (Neg).'),
    );
  });
  it('refuses a node that overwrites a graph input or an initializer', () => {
    const b = reluModel();
    b.initializer('w', tensorOf('float32', [1], [1]));
    b.op('Neg', ['x'], {}, { name: 'neg', outputs: ['w'] });
    expect(() => importOnnx(b.encode())).toThrow('value "w" is produced twice: by initializer "w" and by node "neg" (Neg).');
    expect(() => importEdited((m) => { m.graph!.node![0].output = ['x']; })).toThrow(
      'value "x" is produced twice: by graph input "x" and by node "relu" (Relu).',
    );
  });
  it('refuses a node listing one output twice', () => {
    expect(() => importEdited((m) => { m.graph!.node![0].output = ['a', 'a']; })).toThrow('node "relu" (Relu) lists the same output twice.');
  });
  it('refuses duplicate initializers, inputs, outputs and node names', () => {
    const t = { name: 'w', dataType: 1, dims: [1], floatData: [1] };
    expect(() => importEdited((m) => { m.graph!.initializer = [t, t]; })).toThrow('value "w" is produced twice: by initializer "w" and by initializer "w".');
    expect(() => importEdited((m) => { m.graph!.input!.push(m.graph!.input![0]); })).toThrow('graph input "x" is declared twice.');
    expect(() => importEdited((m) => { m.graph!.output!.push(m.graph!.output![0]); })).toThrow('graph output "relu_out" is declared twice.');
    expect(() => importEdited((m) => { m.graph!.node!.push({ ...m.graph!.node![0], output: ['y2'] }); })).toThrow(
      'model.onnx: nodes 0 and 1 are both named "relu".',
    );
  });
  it('refuses reads of values nothing produces', () => {
    expect(() => importEdited((m) => { m.graph!.node![0].input = ['nowhere']; })).toThrow(
      'node "relu" (Relu) reads "nowhere", which no node, graph input or initializer produces.',
    );
    expect(() => importEdited((m) => { m.graph!.output![0].name = 'ghost'; })).toThrow(
      'graph output "ghost" is not produced by any node, graph input or initializer.',
    );
  });
  it('refuses nameless initializers and nodes without op_type', () => {
    expect(() => importEdited((m) => { m.graph!.initializer = [{ dataType: 1, dims: [] , floatData: [1] }]; })).toThrow('an initializer has no name.');
    expect(() => importEdited((m) => { m.graph!.node![0].opType = ''; })).toThrow('node "relu" has no op_type.');
  });
  it('refuses duplicate attributes and sparse initializers', () => {
    expect(() => importEdited((m) => {
      m.graph!.node![0].attribute = [{ name: 'a', type: 2, i: 1 }, { name: 'a', type: 2, i: 2 }];
    })).toThrow('node "relu" (Relu) has attribute "a" twice.');
    expect(() => importEdited((m) => {
      m.graph!.sparseInitializer = [{ values: { name: 'sp', dataType: 1, dims: [1], floatData: [1] }, dims: [4] }];
    })).toThrow('sparse initializer "sp" is not supported');
  });
  it('refuses attributes of an unknown type', () => {
    expect(() => importEdited((m) => { m.graph!.node![0].attribute = [{ name: 'a', type: 42 as never }]; })).toThrow(
      'attribute "a" of node "relu" has an unknown attribute type 42.',
    );
  });
});
