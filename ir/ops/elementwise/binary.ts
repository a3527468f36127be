// Broadcasting binary arithmetic: Add, Sub, Mul, Div.

import { bin, read, un, type BinaryOp } from '../../expr.js';
import type { ValueInfo } from '../../graph.js';
import { FreightError } from '../../errors.js';
import { fromNumbers, sizeOf, toNumbers, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { broadcastOffset, broadcastShapes, elementwiseMap, unravel } from '../util.js';

type Binary = 'Add' | 'Sub' | 'Mul' | 'Div';

const SEMANTICS: Record<Binary, { op: BinaryOp; f: (a: number, b: number) => number }> = {
  Add: { op: 'add', f: (a, b) => a + b },
  Sub: { op: 'sub', f: (a, b) => a - b },
  Mul: { op: 'mul', f: (a, b) => a * b },
  Div: { op: 'div', f: (a, b) => a / b },
};

function binary(type: Binary): OpDef<Record<string, never>> {
  const { op, f } = SEMANTICS[type];
  const intDiv = type === 'Div';
  return {
    type,
    resolve: () => ({ attrs: {} }),
    infer(_attrs, [a, b]): ValueInfo[] {
      if (a!.dtype !== b!.dtype) throw new FreightError(`inputs have different dtypes (${a!.dtype} and ${b!.dtype})`);
      return [{ dtype: a!.dtype, shape: broadcastShapes([a!.shape, b!.shape]) }];
    },
    reference(_attrs, [a, b], [out]): Tensor[] {
      const x = toNumbers(a!);
      const y = toNumbers(b!);
      const n = sizeOf(out.shape);
      const z = new Float64Array(n);
      const truncate = intDiv && out.dtype !== 'float32';
      for (let i = 0; i < n; i++) {
        const idx = unravel(i, out.shape);
        const r = f(x[broadcastOffset(a!.shape, idx)], y[broadcastOffset(b!.shape, idx)]);
        z[i] = truncate ? Math.trunc(r) : r;
      }
      return [fromNumbers(out.dtype, out.shape, z)];
    },
    lower(ctx) {
      const out = ctx.output(0);
      const body = bin(op, read(0), read(1));
      ctx.map(elementwiseMap(out, [ctx.input(0), ctx.input(1)], intDiv && out.dtype !== 'float32' ? un('trunc', body) : body));
    },
  };
}

export const binaryOps: readonly OpDef[] = (['Add', 'Sub', 'Mul', 'Div'] as const).map(binary);
