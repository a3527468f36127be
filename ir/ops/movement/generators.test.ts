import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../../resolve.js';
import { tensorOf, type DType } from '../../tensor.js';
import { checkOp, type InputSpec } from '../../testing/check-op.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { expectSame, oneNodeModel, runUnfolded } from './one-node.js';

/**
 * Folded by the resolver (checked against ONNX Runtime), then lowered with folding off (an
 * empty result folds anyway: it is never bigger than the limit).
 */
async function checkGenerator(op: string, inputs: readonly InputSpec[], attrs = {}): Promise<void> {
  const { ort } = await checkOp({ op, inputs, attrs });
  if (ort[0].data.length > 0) expectSame(runUnfolded(oneNodeModel(op, inputs, attrs)).get('out0')!, ort[0]);
}

describe('Range', () => {
  const cases: [DType, number, number, number][] = [
    ['int64', 0, 10, 3], ['int64', 10, -5, -4], ['int64', 3, 3, 1], ['int32', -2, 7, 2], ['int64', 5, 0, 1],
    ['float32', 0.5, 10, 0.75], ['float32', 5, -3, -1.5], ['float32', 1, 1, 1], ['float32', 0, 1, 0.1],
  ];
  for (const [dtype, start, limit, delta] of cases) {
    it(`${dtype} from ${start} to ${limit} by ${delta}`, async () => {
      const inputs = [start, limit, delta].map((x) => ({ constant: tensorOf(dtype, [], [x]) }));
      await checkGenerator('Range', inputs);
    });
  }
  it('refuses inputs computed at run time', () => {
    const model = oneNodeModel('Range', [tensorOf('int64', [], [0]), { constant: tensorOf('int64', [], [4]) }, { constant: tensorOf('int64', [], [1]) }]);
    expect(() => resolveGraph(model)).toThrow(/start, limit and delta must be compile-time constants .* but start is computed at run time/);
  });
  it('refuses a delta of 0', () => {
    const model = oneNodeModel('Range', [0, 4, 0].map((x) => ({ constant: tensorOf('int64', [], [x]) })));
    expect(() => resolveGraph(model)).toThrow(/delta is 0/);
  });
});

describe('ConstantOfShape', () => {
  const shape = (...d: number[]): InputSpec => ({ constant: tensorOf('int64', [d.length], d) });
  it('the default value is float 0', async () => {
    await checkGenerator('ConstantOfShape', [shape(2, 3)]);
  });
  it('an int64 value', async () => {
    await checkGenerator('ConstantOfShape', [shape(3, 1, 2)], { value: tensorOf('int64', [1], [-7]) });
  });
  it('a float value, scalar output', async () => {
    await checkGenerator('ConstantOfShape', [shape()], { value: tensorOf('float32', [1], [2.5]) });
  });
  it('refuses a value with several elements', () => {
    expect(() => resolveGraph(oneNodeModel('ConstantOfShape', [shape(2)], { value: tensorOf('float32', [2], [1, 2]) }))).toThrow(/value must hold one element, not 2/);
  });
});

describe('NonZero', () => {
  const r = rng(110);
  it('folds on a constant input', async () => {
    await checkOp({ op: 'NonZero', inputs: [{ constant: tensorOf('float32', [2, 3], [0, 1, 0, -2, 3, 0]) }] });
    await checkOp({ op: 'NonZero', inputs: [{ constant: integers(r, [2, 2, 3], 0, 2) }] });
  });
  it('refuses a runtime input, saying why', () => {
    expect(() => resolveGraph(oneNodeModel('NonZero', [uniform(r, [3])]))).toThrow(/must be a compile-time constant: the number of non-zero elements decides its output shape/);
  });
});

describe('Trilu', () => {
  const r = rng(120);
  for (const upper of [0, 1]) {
    for (const k of [null, -1, 0, 2]) {
      it(`upper=${upper} k=${k ?? 'omitted'} on [2,3,4]`, async () => {
        const kInput = k === null ? [] : [{ constant: tensorOf('int64', [], [k]) }];
        await checkOp({ op: 'Trilu', inputs: [uniform(r, [2, 3, 4]), ...kInput], attrs: { upper } });
      });
    }
  }
  it('int64 on a tall matrix', async () => {
    await checkOp({ op: 'Trilu', inputs: [integers(r, [5, 3], -9, 9)], attrs: { upper: 0 } });
  });
  it('refuses a vector', () => {
    expect(() => resolveGraph(oneNodeModel('Trilu', [uniform(r, [3])]))).toThrow(/must have rank 2 or more/);
  });
});
