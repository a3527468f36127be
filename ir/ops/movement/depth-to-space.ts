// DepthToSpace (modes DCR and CRD) and SpaceToDepth on NCHW tensors. Both iterate
// (n, c, h, bh, w, bw) — c the channel of the smaller-channel side, bh/bw the position in the
// block — so that the channel index and the spatial index h·b+bh are affine on both sides.

import { FreightError } from '../../errors.js';
import { add, c, mul, read, v, type Expr } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { formatShape, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { need } from './inputs.js';
import { flatIndex, pick } from './pick.js';

interface BlockAttrs {
  readonly blocksize: number;
  /** DepthToSpace only: how the channel splits into (block row, block column, channel). */
  readonly mode: 'DCR' | 'CRD';
}

function checkInput(x: ValueInfo, b: number): void {
  if (x.shape.length !== 4) throw new FreightError(`its input ${formatShape(x.shape)} must have rank 4 (NCHW)`);
  if (!Number.isInteger(b) || b < 1) throw new FreightError(`blocksize ${b} must be a positive integer`);
}

/** The input channel holding block position (bh, bw) of output channel ch (C' channels). */
function depthChannel(mode: 'DCR' | 'CRD', ch: number, bh: number, bw: number, b: number, cOut: number): number {
  return mode === 'DCR' ? (bh * b + bw) * cOut + ch : (ch * b + bh) * b + bw;
}

/** The same channel as an index expression over the iteration variables. */
function depthChannelExpr(mode: 'DCR' | 'CRD', b: number, cOut: number): Expr {
  return mode === 'DCR'
    ? add(add(mul(v('bh'), c(b * cOut)), mul(v('bw'), c(cOut))), v('c'))
    : add(add(mul(v('c'), c(b * b)), mul(v('bh'), c(b))), v('bw'));
}

/** The (n, c, h, bh, w, bw) domain for `narrow` channels on a spatial grid of h×w blocks. */
function blockDims(n: number, narrow: number, h: number, w: number, b: number) {
  return [
    { name: 'n', extent: n }, { name: 'c', extent: narrow }, { name: 'h', extent: h },
    { name: 'bh', extent: b }, { name: 'w', extent: w }, { name: 'bw', extent: b },
  ];
}

const spatial = (outer: string, inner: string, b: number): Expr => add(mul(v(outer), c(b)), v(inner));

export const depthToSpace: OpDef<BlockAttrs> = {
  type: 'DepthToSpace',
  resolve(ctx) {
    const mode = ctx.string('mode', 'DCR');
    if (mode !== 'DCR' && mode !== 'CRD') throw new FreightError(`mode '${mode}' is not DCR or CRD`);
    return { attrs: { blocksize: ctx.int('blocksize'), mode } };
  },
  infer({ blocksize: b }, inputs): ValueInfo[] {
    const x = need(inputs, 0, 'input');
    checkInput(x, b);
    const [n, ch, h, w] = x.shape;
    if (ch % (b * b) !== 0) throw new FreightError(`its ${ch} channels are not divisible by blocksize² = ${b * b}`);
    return [{ dtype: x.dtype, shape: [n, ch / (b * b), h * b, w * b] }];
  },
  reference({ blocksize: b, mode }, [x], [out]): Tensor[] {
    const cOut = out.shape[1];
    return [pick(x!, out.shape, ([n, ch, y, z]) =>
      flatIndex(x!.shape, [n, depthChannel(mode, ch, y % b, z % b, b, cOut), Math.floor(y / b), Math.floor(z / b)]))];
  },
  lower(ctx, { blocksize: b, mode }) {
    const x = ctx.input(0);
    const out = ctx.output(0);
    const [n, ch, h, w] = x.shape;
    const cOut = ch / (b * b);
    ctx.map({
      dims: blockDims(n, cOut, h, w, b),
      reads: [{ buffer: x.name, index: [v('n'), depthChannelExpr(mode, b, cOut), v('h'), v('w')] }],
      body: read(0),
      write: { buffer: out.name, index: [v('n'), v('c'), spatial('h', 'bh', b), spatial('w', 'bw', b)] },
    });
  },
};

export const spaceToDepth: OpDef<BlockAttrs> = {
  type: 'SpaceToDepth',
  resolve: (ctx) => ({ attrs: { blocksize: ctx.int('blocksize'), mode: 'DCR' } }),
  infer({ blocksize: b }, inputs): ValueInfo[] {
    const x = need(inputs, 0, 'input');
    checkInput(x, b);
    const [n, ch, h, w] = x.shape;
    if (h % b !== 0 || w % b !== 0) throw new FreightError(`its spatial size ${h}×${w} is not divisible by blocksize ${b}`);
    return [{ dtype: x.dtype, shape: [n, ch * b * b, h / b, w / b] }];
  },
  reference({ blocksize: b }, [x], [out]): Tensor[] {
    const cIn = x!.shape[1];
    return [pick(x!, out.shape, ([n, ch, y, z]) => {
      const block = Math.floor(ch / cIn);
      return flatIndex(x!.shape, [n, ch % cIn, y * b + Math.floor(block / b), z * b + (block % b)]);
    })];
  },
  lower(ctx, { blocksize: b }) {
    const x = ctx.input(0);
    const out = ctx.output(0);
    const [n, ch] = x.shape;
    const [, , h, w] = out.shape;
    ctx.map({
      dims: blockDims(n, ch, h, w, b),
      reads: [{ buffer: x.name, index: [v('n'), v('c'), spatial('h', 'bh', b), spatial('w', 'bw', b)] }],
      body: read(0),
      write: { buffer: out.name, index: [v('n'), depthChannelExpr('DCR', b, ch), v('h'), v('w')] },
    });
  },
};
