import { describe, expect, it } from 'vitest';
import { FreightError } from '../../errors.js';
import { resolveGraph } from '../../resolve.js';
import { integers, rng, uniform } from '../../testing/random.js';
import { tensorOf } from '../../tensor.js';
import { float, int, oneNodeModel, type NodeCase } from '../../testing/freight-only.js';

const axes = (...a: number[]) => ({ constant: tensorOf('int64', [a.length], a) });

/** The FreightError that resolving the node throws. */
function refusal(c: NodeCase): FreightError {
  try {
    resolveGraph(oneNodeModel(c));
  } catch (e) {
    if (e instanceof FreightError) return e;
    throw e;
  }
  throw new Error(`${c.op} was not refused`);
}

describe('bad uses are refused with a FreightError naming the problem', () => {
  const r = rng('refusals');
  const x = (...shape: number[]) => uniform(r, shape);

  it('a Reduce axis out of range names the axis and the rank', () => {
    expect(refusal({ op: 'ReduceSum', inputs: [x(2, 3), axes(3)] }).message).toMatch(/axis 3 is out of range for a tensor of rank 2/);
    expect(refusal({ op: 'ReduceMean', inputs: [x(2, 3), axes(0, -3)] }).message).toMatch(/axis -3 is out of range for a tensor of rank 2/);
  });
  it('duplicate axes, also when written once negative', () => {
    expect(refusal({ op: 'ReduceMax', inputs: [x(2, 3, 4), axes(1, -2)] }).message).toMatch(/axes \[1,-2\] repeat an axis/);
  });
  it('axes that are not known at compile time', () => {
    const e = refusal({ op: 'ReduceSum', inputs: [x(2, 3), tensorOf('int64', [1], [1])] });
    expect(e.message).toMatch(/axes \('in1'\) must be known at compile time/);
  });
  it('axes that are not integers', () => {
    expect(refusal({ op: 'ReduceL1', inputs: [x(2, 3), { constant: tensorOf('float32', [1], [1]) }] }).message)
      .toMatch(/axes input has dtype float32, but it must be int64/);
  });
  it('a Reduce with an unsupported dtype', () => {
    expect(refusal({ op: 'ReduceL2', inputs: [integers(r, [2, 3], 0, 4, 'int32'), axes(1)] }).message)
      .toMatch(/data has dtype int32, but it must be float32/);
  });
  it('ArgMax axis out of range, and over a zero-size axis', () => {
    expect(refusal({ op: 'ArgMax', inputs: [x(2, 3)], attrs: { axis: int(2) } }).message).toMatch(/axis 2 is out of range for a tensor of rank 2/);
    expect(refusal({ op: 'ArgMin', inputs: [x()], attrs: {} }).message).toMatch(/axis 0 is out of range for a tensor of rank 0/);
    expect(refusal({ op: 'ArgMax', inputs: [x(2, 0)], attrs: { axis: int(1) } }).message).toMatch(/axis 1 has size 0/);
  });
  it('Softmax axis out of range, rank 0, and integer input', () => {
    expect(refusal({ op: 'Softmax', inputs: [x(2, 3, 4)], attrs: { axis: int(3) } }).message).toMatch(/axis 3 is out of range for a tensor of rank 3/);
    expect(refusal({ op: 'LogSoftmax', inputs: [x()] }).message).toMatch(/axis -1 is out of range for a tensor of rank 0/);
    expect(refusal({ op: 'Softmax', inputs: [integers(r, [3], 0, 3)] }).message).toMatch(/input has dtype int64, but it must be float32/);
  });
  it('LayerNormalization axis out of range, a Scale that does not broadcast, nothing to normalize', () => {
    expect(refusal({ op: 'LayerNormalization', inputs: [x(2, 3, 4), x(4)], attrs: { axis: int(-4) } }).message)
      .toMatch(/axis -4 is out of range for a tensor of rank 3/);
    expect(refusal({ op: 'LayerNormalization', inputs: [x(2, 3, 4), x(5)] }).message)
      .toMatch(/Scale has shape \[5\], which does not broadcast to X's shape \[2,3,4\]/);
    expect(refusal({ op: 'LayerNormalization', inputs: [x(2, 0), x(0)] }).message).toMatch(/no elements/);
  });
  it('BatchNormalization in training mode, with a wrong-sized parameter, or a missing one', () => {
    const p = () => x(3);
    expect(refusal({ op: 'BatchNormalization', inputs: [x(2, 3), p(), p(), p(), p()], attrs: { training_mode: int(1) } }).message)
      .toMatch(/training_mode=1 .* inference only/);
    expect(refusal({ op: 'BatchNormalization', inputs: [x(2, 3), p(), p(), x(4), p()] }).message)
      .toMatch(/input_mean has shape \[4\], but it must have shape \[3\]/);
    expect(refusal({ op: 'BatchNormalization', inputs: [x(2, 3), p(), null, p(), p()] }).message)
      .toMatch(/B input \(input 2\) is missing/);
  });
  it('InstanceNormalization on rank 2 (no spatial dims)', () => {
    expect(refusal({ op: 'InstanceNormalization', inputs: [x(2, 3), x(3), x(3)], attrs: { epsilon: float(1e-5) } }).message)
      .toMatch(/input has rank 2 \(shape \[2,3\]\), but it must have rank 3 or more/);
  });
  it('GroupNormalization whose groups do not divide the channels', () => {
    expect(refusal({ op: 'GroupNormalization', inputs: [x(1, 6, 2), x(6), x(6)], attrs: { num_groups: int(4) } }).message)
      .toMatch(/num_groups 4 does not divide the 6 channels/);
    expect(refusal({ op: 'GroupNormalization', inputs: [x(1, 6, 2), x(6), x(6)] }).message).toMatch(/attribute 'num_groups' is required/);
  });
  it('LpNormalization with p other than 1 or 2', () => {
    expect(refusal({ op: 'LpNormalization', inputs: [x(2, 3)], attrs: { p: int(3) } }).message).toMatch(/p 3 is not supported/);
  });
});
