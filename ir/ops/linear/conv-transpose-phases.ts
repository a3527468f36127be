// ConvTranspose lowered as a gather, by sub-pixel (phase) decomposition.
//
// Along one axis, output o receives input i through tap k when o + padBegin = i·stride + k·dilation.
// Gathering directly would need i = (o + padBegin - k·dilation) / stride to be integral: an idiv
// index and a `mod == 0` select that wastes all but 1/stride of the taps. Instead split the
// output by phase r = o mod stride, o = q·stride + r. The taps that reach phase r are those with
// k·dilation ≡ r + padBegin (mod stride): none, or the progression k = k0 + j·step with
// step = stride / gcd(stride, dilation); along it i = q + (r + padBegin - k0·dilation)/stride
// - j·(dilation / gcd), an affine index. So each combination of phases (∏ strides of them) is
// one dense Conv-like reduction map that writes a strided slice of Y; a phase no tap reaches is
// written with the bias alone. With stride 1 there is one phase: the plain gather convolution.

import { acc, add, c, mul, read, sub, v, type Expr } from '../../expr.js';
import type { Dim, Memlet } from '../../program.js';
import type { LowerContext } from '../op.js';
import { unravel } from '../util.js';
import { groupedChannel } from './conv.js';
import { spatialNames, type Window } from './window.js';

/** One phase of one axis. */
interface AxisPhase {
  /** o = q·stride + r. */
  readonly r: number;
  /** Number of outputs in this phase (extent of q). */
  readonly count: number;
  /** The taps reaching it: k = k0 + j·step for j < taps. */
  readonly k0: number;
  readonly step: number;
  readonly taps: number;
  /** The input index read is q + base - j·jStride. */
  readonly base: number;
  readonly jStride: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function axisPhase(w: Window, a: number, r: number): AxisPhase {
  const [stride, dilation, kernel] = [w.strides[a], w.dilations[a], w.kernel[a]];
  const count = Math.max(0, Math.ceil((w.out[a] - r) / stride));
  const step = stride / gcd(stride, dilation);
  const target = r + w.padBegin[a];
  let k0 = 0;
  while (k0 < step && (((target - k0 * dilation) % stride) + stride) % stride !== 0) k0++;
  const taps = k0 < Math.min(step, kernel) ? Math.ceil((kernel - k0) / step) : 0;
  return { r, count, k0, step, taps, base: (target - k0 * dilation) / stride, jStride: (step * dilation) / stride };
}

export function lowerConvTranspose(ctx: LowerContext, group: number, w: Window): void {
  const x = ctx.input(0);
  const weight = ctx.input(1);
  const b = ctx.optionalInput(2);
  const out = ctx.output(0);
  const [batch, channels, ...inSizes] = x.shape;
  const outPerGroup = weight.shape[1];
  const inPerGroup = channels / group;
  const names = spatialNames(inSizes.length);
  const q = names.map((s) => v(`q${s}`));
  const j = names.map((s) => v(`k${s}`));
  const co = groupedChannel(group, outPerGroup, v('m'));
  const ci = groupedChannel(group, inPerGroup, v('ci'));
  const phaseCount = w.strides.reduce((p, s) => p * s, 1);

  for (let flat = 0; flat < phaseCount; flat++) {
    const phases = unravel(flat, w.strides).map((r, a) => axisPhase(w, a, r));
    if (phases.some((p) => p.count === 0)) continue;
    const parallel: Dim[] = [
      { name: 'n', extent: batch },
      ...(group > 1 ? [{ name: 'g', extent: group }] : []),
      { name: 'm', extent: outPerGroup },
      ...names.map((s, a) => ({ name: `q${s}`, extent: phases[a].count })),
    ];
    const write = { buffer: out.name, index: [v('n'), co, ...q.map((qa, a) => add(mul(qa, c(w.strides[a])), c(phases[a].r)))] };
    const biasRead: Memlet[] = b ? [{ buffer: b.name, index: [co] }] : [];

    if (phases.some((p) => p.taps === 0)) {
      ctx.map({ dims: parallel, reads: biasRead, body: b ? read(0) : c(0), write });
      continue;
    }
    const inPos = phases.map((p, a) => sub(add(q[a], c(p.base)), mul(j[a], c(p.jStride))));
    const guarded = phases.some((p, a) => p.base - (p.taps - 1) * p.jStride < 0 || p.count - 1 + p.base > inSizes[a] - 1);
    const tap = (p: AxisPhase, a: number): Expr => add(c(p.k0), mul(j[a], c(p.step)));
    ctx.map({
      dims: [
        ...parallel,
        { name: 'ci', extent: inPerGroup, reduce: true },
        ...names.map((s, a) => ({ name: `k${s}`, extent: phases[a].taps, reduce: true })),
      ],
      reads: [
        { buffer: x.name, index: [v('n'), ci, ...inPos], ...(guarded ? { pad: 0 } : {}) },
        { buffer: weight.name, index: [ci, v('m'), ...phases.map(tap)] },
        ...biasRead,
      ],
      body: mul(read(0), read(1)),
      write: { ...write, wcr: 'sum' },
      ...(b ? { epilogue: add(acc, read(2)) } : {}),
    });
  }
}
