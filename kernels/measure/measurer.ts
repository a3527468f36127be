// Measures candidate kernels on a device of this process (measure-steps.ts), each verification and
// timing step raced against its time limit. A candidate that runs past its limit, or loses the
// device, leaves that device abandoned and the measurer opens a fresh one for the next candidate.
//
// Abandoned, not destroyed: Dawn's destroy() waits for the queue to drain, which a kernel that
// never finishes never lets happen. On SwiftShader the abandoned kernel keeps the CPU's worker
// threads until it ends, so the next candidate waits for it; only killing the process stops it.
//
// When to use which: this measurer is cheap (no process, no copies) and takes any Prepare, so
// tests and kernels known to terminate (a plan's own dispatches, microbenchmarks) use it. Search
// candidates, which may loop for hours, go to the isolated measurer (isolated-measurer.ts).

import { reopenDevice, type GpuDevice } from '../gpu/device.js';
import type { KernelSpec } from './kernel-spec.js';
import type { MeasureResult } from './measure-result.js';
import { measureSteps, phaseLimitMs, prepareSpec, settle, type Guard, type MeasureOptions, type Phase, type Prepare, type Raced } from './measure-steps.js';

export interface Measurer {
  /** The current device; changes after a timeout or a lost device. */
  readonly gpu: GpuDevice;
  measure(spec: KernelSpec, options?: MeasureOptions): Promise<MeasureResult>;
  measureWork(prepare: Prepare, options?: MeasureOptions): Promise<MeasureResult>;
}

/** Races each step but building against its time limit and against the loss of the device. */
function racingGuard(gpu: GpuDevice, options: MeasureOptions): Guard {
  return <T>(phase: Phase, work: () => Promise<T>): Promise<Raced<T>> => {
    if (phase === 'compile') return settle(work());
    const limitMs = phaseLimitMs(phase, options);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Raced<T>>((resolve) => { timer = setTimeout(() => resolve({ kind: 'timeout', limitMs }), limitMs); });
    const lost = gpu.lost.then((info): Raced<T> => ({ kind: 'lost', message: `${info.reason}: ${info.message}` }));
    return Promise.race([settle(work()), timeout, lost]).finally(() => clearTimeout(timer));
  };
}

export function createMeasurer(initial: GpuDevice): Measurer {
  let gpu = initial;
  // Abandoned devices stay referenced: Dawn crashes when objects with work in flight are collected.
  const abandoned: GpuDevice[] = [];

  async function measureWork(prepare: Prepare, options: MeasureOptions = {}): Promise<MeasureResult> {
    const current = gpu;
    const result = await measureSteps(current, prepare, options, racingGuard(current, options));
    if (!result.ok && (result.error === 'timeout' || result.error === 'device-lost')) {
      abandoned.push(current);
      gpu = await reopenDevice(current);
    }
    return result;
  }

  return {
    get gpu() { return gpu; },
    measureWork,
    measure: (spec, options) => measureWork((g) => prepareSpec(g, spec), options),
  };
}
