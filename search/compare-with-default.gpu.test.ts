// Paired comparisons: a kernel against itself comes out even and is no win; against one doing
// several times the work it clearly loses; the bound is an order statistic above the median; and a
// task's candidate is compared with the task's own default plan.

import { beforeAll, describe, expect, it } from 'vitest';
import { fuseProgram } from '../ir/fusion/index.js';
import { openDevice, type GpuDevice } from '../kernels/gpu/device.js';
import { prepareSpec } from '../kernels/measure/measure-steps.js';
import { loop } from '../kernels/measure/test-kernels.js';
import { gemmBiasRelu } from '../transform-space/test-programs.js';
import { comparePasses, defaultComparer, median, upperBound, WIN_RATIO } from './compare-with-default.js';
import { tuningTasks } from './task.js';

let gpu: GpuDevice;
beforeAll(async () => { gpu = await openDevice({ warn: () => {} }); });

const quick = { minPairs: 8, maxPairs: 24, minMeasuredMs: 5 };

describe('comparing a candidate with the default', () => {
  it('finds a kernel even with itself, and no win', async () => {
    const work = await prepareSpec(gpu, loop(300));
    const c = await comparePasses(gpu, work.encode, work.encode, quick);
    expect(c.ratios.length).toBeGreaterThanOrEqual(8);
    expect(c.ratio).toBe(median(c.ratios));
    expect(c.upper).toBe(upperBound(c.ratios));
    expect(c.ratio).toBeGreaterThan(0.6);
    expect(c.ratio).toBeLessThan(1.6);
    // The median looks like a win half of the time; its bound must not.
    expect(c.upper).toBeGreaterThan(WIN_RATIO);
  });

  it('finds that eight times the work loses', async () => {
    const [light, heavy] = [await prepareSpec(gpu, loop(300)), await prepareSpec(gpu, loop(2400))];
    const c = await comparePasses(gpu, light.encode, heavy.encode, quick);
    expect(c.ratio).toBeGreaterThan(2);
    const reverse = await comparePasses(gpu, heavy.encode, light.encode, quick);
    expect(reverse.upper).toBeLessThan(WIN_RATIO);
  });

  it('bounds the median from above with an order statistic', () => {
    const xs = [0.15, 0.43, 0.57, 0.61, 0.62, 0.76, 0.79, 0.87, 1.25, 2.33, 3.6, 6.5];
    expect(median(xs)).toBeCloseTo(0.775);
    // 12 pairs: the 9th smallest (6 + 1.645·√12 / 2 = 8.85, rounded up).
    expect(upperBound(xs)).toBe(1.25);
    expect(upperBound([0.5])).toBe(0.5);
  });

  it("times a task's candidate against the task's default plan", async () => {
    const [task] = tuningTasks(fuseProgram(gemmBiasRelu(16, 12, 24)).program);
    const comparer = defaultComparer(gpu);
    const c = await comparer.compare(task, [{ t: 'workgroup-size', at: '@.m0', p: { size: 1 } }], quick);
    expect(c.ratios.every((r) => Number.isFinite(r) && r > 0)).toBe(true);
  });
});
