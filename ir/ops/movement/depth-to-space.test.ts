import { describe, expect, it } from 'vitest';
import { resolveGraph } from '../../resolve.js';
import { checkOp } from '../../testing/check-op.js';
import { rng, uniform } from '../../testing/random.js';
import { oneNodeModel } from './one-node.js';

describe('DepthToSpace and SpaceToDepth', () => {
  const r = rng(90);
  for (const mode of ['DCR', 'CRD']) {
    it(`DepthToSpace ${mode}, blocksize 2`, async () => {
      await checkOp({ op: 'DepthToSpace', inputs: [uniform(r, [1, 8, 2, 3])], attrs: { blocksize: 2, mode } });
    });
    it(`DepthToSpace ${mode}, blocksize 3, batch 2`, async () => {
      await checkOp({ op: 'DepthToSpace', inputs: [uniform(r, [2, 18, 2, 2])], attrs: { blocksize: 3, mode } });
    });
  }
  it('SpaceToDepth, blocksize 2', async () => {
    await checkOp({ op: 'SpaceToDepth', inputs: [uniform(r, [1, 2, 4, 6])], attrs: { blocksize: 2 } });
  });
  it('SpaceToDepth, blocksize 3, batch 2', async () => {
    await checkOp({ op: 'SpaceToDepth', inputs: [uniform(r, [2, 3, 3, 6])], attrs: { blocksize: 3 } });
  });
  it('refuses channels not divisible by blocksize²', () => {
    expect(() => resolveGraph(oneNodeModel('DepthToSpace', [uniform(r, [1, 6, 2, 2])], { blocksize: 2 }))).toThrow(/6 channels are not divisible by blocksize² = 4/);
  });
  it('refuses a spatial size not divisible by blocksize', () => {
    expect(() => resolveGraph(oneNodeModel('SpaceToDepth', [uniform(r, [1, 1, 3, 4])], { blocksize: 2 }))).toThrow(/3×4 is not divisible by blocksize 2/);
  });
});
