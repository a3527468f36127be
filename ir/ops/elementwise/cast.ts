// Cast between float32, int32, int64 and bool. float → integer truncates toward zero, → bool is
// x != 0 (NaN is true), int64 → int32 keeps the low 32 bits. A float that is NaN or outside the
// integer range has no defined integer value (ONNX leaves it to the platform).

import { FreightError } from '../../errors.js';
import { cast, read } from '../../expr.js';
import { allocData, type DType, type Tensor } from '../../tensor.js';
import type { OpDef } from '../op.js';
import { elementwiseMap } from '../util.js';

interface CastAttrs {
  readonly to: DType;
}

/**
 * ONNX element type codes (TensorProto.DataType) of the dtypes Cast produces. float16 (10),
 * double (11) and bfloat16 (16) compute as float32, as the importer reads tensors of those types;
 * narrow integers stay refused because their wrap-around differs from int32's.
 */
const TARGETS: Readonly<Record<number, DType>> = { 1: 'float32', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float32', 11: 'float32', 16: 'float32' };

export const castOp: OpDef<CastAttrs> = {
  type: 'Cast',
  resolve(ctx) {
    if (!ctx.input(0)) throw new FreightError('its input is missing');
    if (ctx.inputCount > 1) throw new FreightError(`it has ${ctx.inputCount} inputs; the operator takes 1`);
    const code = ctx.int('to');
    const to = Object.hasOwn(TARGETS, code) ? TARGETS[code] : undefined;
    if (!to) {
      throw new FreightError(`attribute to is ONNX element type ${code}; freight casts only to float (1, and 10, 11, 16 computed as float), int32 (6), int64 (7) and bool (9)`);
    }
    return { attrs: { to } };
  },
  infer: ({ to }, [x]) => [{ dtype: to, shape: [...x!.shape] }],
  reference({ to }, [x]) {
    return [convert(x!, to)];
  },
  lower(ctx, { to }) {
    const x = ctx.input(0);
    const out = ctx.output(0);
    if (x.dtype === to) ctx.alias(out, x);
    else ctx.map(elementwiseMap(out, [x], cast(to, read(0))));
  },
};

/** Element-by-element conversion from the source storage, int64 kept exact as BigInt. */
function convert(x: Tensor, to: DType): Tensor {
  const n = x.data.length;
  const data = allocData(to, n);
  const src = x.data;
  for (let i = 0; i < n; i++) {
    const value = src[i];
    switch (to) {
      case 'float32':
        (data as Float32Array)[i] = Number(value);
        break;
      case 'int32':
        // Int32Array stores keep the low 32 bits; BigInt.asIntN does the same for int64 sources.
        (data as Int32Array)[i] = typeof value === 'bigint' ? Number(BigInt.asIntN(32, value)) : Math.trunc(value);
        break;
      case 'int64':
        (data as BigInt64Array)[i] = typeof value === 'bigint' ? value : Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
        break;
      case 'bool':
        (data as Uint8Array)[i] = typeof value === 'bigint' ? (value !== 0n ? 1 : 0) : (value !== 0 ? 1 : 0);
        break;
    }
  }
  return { dtype: to, shape: [...x.shape], data };
}
