// The messages between the isolated measurer (isolated-measurer.ts) and its measurement process
// (measure-child.ts). Plain data, sent with Node's 'advanced' serialization so that typed arrays
// and ArrayBuffers arrive as such.

import type { DeviceKind } from '../gpu/device.js';
import type { KernelSpec } from './kernel-spec.js';
import type { MeasureResult, Verdict } from './measure-result.js';
import type { MeasureOptions, Phase } from './measure-steps.js';

/** What identifies the device a measurement process opened. */
export interface ChildDevice {
  readonly kind: DeviceKind;
  readonly name: string;
  readonly fingerprint: string;
  /** The device option that opens this adapter again (see reopenDevice). */
  readonly pinned: string;
}

/** MeasureOptions without the verify function, which stays with the parent. */
export type ChildOptions = Omit<MeasureOptions, 'verify'> & { readonly verify: boolean };

export type ToChild =
  | { readonly kind: 'open'; readonly device: string }
  | { readonly kind: 'measure'; readonly spec: KernelSpec; readonly options: ChildOptions }
  | { readonly kind: 'verdict'; readonly verdict: Verdict };

export type FromChild =
  | { readonly kind: 'ready'; readonly device: ChildDevice }
  | { readonly kind: 'open-failed'; readonly message: string }
  | { readonly kind: 'warn'; readonly message: string }
  /** A step began; the parent times it. */
  | { readonly kind: 'phase'; readonly phase: Phase }
  /** The outputs of the verification run, for the parent to verify. */
  | { readonly kind: 'outputs'; readonly outputs: readonly ArrayBuffer[] }
  | { readonly kind: 'result'; readonly result: MeasureResult }
  | { readonly kind: 'lost'; readonly message: string };
