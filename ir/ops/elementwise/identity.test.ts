import { describe, expect, it } from 'vitest';
import type { Node } from '../../graph.js';
import { checkOp } from '../../testing/check-op.js';
import { bools, integers, rng, uniform } from '../../testing/random.js';
import { scalar } from '../../tensor.js';
import type { BufferRef, LowerContext } from '../op.js';
import { float, resolveCase } from '../../testing/freight-only.js';
import { dropoutOp, identityOp } from './identity.js';

/** A LowerContext that records what a lowering asks for. */
function recordingContext(node: Node): { ctx: LowerContext; aliases: [string, string][]; maps: number } {
  const ref = (name: string): BufferRef => ({ name, dtype: 'float32', shape: [2] });
  const log = { aliases: [] as [string, string][], maps: 0 };
  const ctx: LowerContext = {
    node,
    input: (i) => ref(node.inputs[i]),
    optionalInput: (i) => (node.inputs[i] ? ref(node.inputs[i]) : undefined),
    output: (i) => ref(node.outputs[i]),
    transient: () => { throw new Error('no transients expected'); },
    map: () => { log.maps++; },
    alias: (out, of) => { log.aliases.push([out.name, of.name]); },
  };
  return { ctx, ...log, get maps() { return log.maps; } };
}

describe('Identity and Dropout', () => {
  const r = rng(100);
  it('Identity of every dtype', async () => {
    for (const x of [uniform(r, [2, 3]), integers(r, [4], -5, 5), integers(r, [], 0, 9, 'int32'), bools(r, [3])]) {
      await checkOp({ op: 'Identity', inputs: [x] });
    }
  });
  it('Dropout passes its input through, with an all-true mask', async () => {
    await checkOp({ op: 'Dropout', inputs: [uniform(r, [2, 3])], outputs: 2 });
    await checkOp({ op: 'Dropout', inputs: [uniform(r, [2, 3]), { constant: scalar('float32', 0.3) }], outputs: 2 });
    await checkOp({ op: 'Dropout', inputs: [uniform(r, [4]), scalar('float32', 0.5), { constant: scalar('bool', 0) }], outputs: 2 });
    await checkOp({ op: 'Dropout', inputs: [uniform(r, [4])], attrs: { seed: 3 } });
  });
  it('Identity and Dropout lower to an alias, Dropout adding one map for its mask', () => {
    const id = recordingContext({ name: 'n', op: 'Identity', attrs: {}, inputs: ['x'], outputs: ['y'] });
    identityOp.lower(id.ctx, {});
    expect([id.aliases, id.maps]).toEqual([[['y', 'x']], 0]);
    const drop = recordingContext({ name: 'n', op: 'Dropout', attrs: {}, inputs: ['x'], outputs: ['y', 'mask'] });
    dropoutOp.lower(drop.ctx, {});
    expect([drop.aliases, drop.maps]).toEqual([[['y', 'x']], 1]);
  });
  it('refuses training mode, or a training_mode known only at run time', () => {
    expect(() => resolveCase({ op: 'Dropout', inputs: [uniform(r, [2]), null, { constant: scalar('bool', 1) }] }))
      .toThrow(/\(Dropout\): training_mode is true; freight compiles models for inference/);
    expect(() => resolveCase({ op: 'Dropout', inputs: [uniform(r, [2]), null, scalar('bool', 0)] }))
      .toThrow(/training_mode \('in2'\) must be known at compile time/);
  });
  it('refuses Identity without an input', () => {
    expect(() => resolveCase({ op: 'Identity', inputs: [null], attrs: { unused: float(1) } })).toThrow(/its input is missing/);
  });
});
