// Tensors ↔ the 32-bit words the generated kernels store: float32 as f32, int32 as i32, int64
// narrowed to i32 (a range check names the tensor that does not fit), bool as one u32 per
// element. Also the poison a verification run fills outputs and intermediates with: NaN for
// floats, a sentinel no valid write of the plan leaves for integers and bools.

import { FreightError } from '../../ir/errors.js';
import { allocData, type DType, type Shape, type Tensor } from '../../ir/tensor.js';

export const POISON_I32 = -2147483648;
export const POISON_BOOL = 0x55;

/** Bytes a buffer of `n` elements takes on the GPU (at least one word: zero-size bindings are invalid). */
export const gpuBytes = (n: number): number => Math.max(1, n) * 4;

export function toWords(t: Tensor, name: string): Uint32Array<ArrayBuffer> {
  const n = t.data.length;
  switch (t.dtype) {
    case 'float32': return new Uint32Array(new Float32Array(t.data as Float32Array).buffer);
    case 'int32': return new Uint32Array(new Int32Array(t.data as Int32Array).buffer);
    case 'bool': return Uint32Array.from(t.data as Uint8Array);
    case 'int64': {
      const src = t.data as BigInt64Array;
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const x = src[i];
        if (x < -2147483648n || x > 2147483647n) {
          throw new FreightError(`'${name}' holds ${x} at element ${i}; int64 tensors run on WebGPU as int32, which cannot hold it`);
        }
        out[i] = Number(x);
      }
      return new Uint32Array(out.buffer);
    }
  }
}

export function poisonWords(dtype: DType, n: number): Uint32Array<ArrayBuffer> {
  const words = new Uint32Array(Math.max(1, n));
  switch (dtype) {
    case 'float32': new Float32Array(words.buffer).fill(NaN); break;
    case 'bool': words.fill(POISON_BOOL); break;
    default: new Int32Array(words.buffer).fill(POISON_I32); break;
  }
  return words;
}

/**
 * Words read back → a tensor of `dtype`. With `checkUnwritten`, integer and bool elements still
 * holding the poison are an error (float ones stay NaN, for the comparison to catch).
 */
export function fromWords(words: Uint32Array, dtype: DType, shape: Shape, name: string, checkUnwritten: boolean): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocData(dtype, n);
  const ints = new Int32Array(words.buffer, words.byteOffset, words.length);
  const unwritten = (i: number): never => {
    throw new FreightError(`element ${i} of '${name}' was never written by the WebGPU plan`);
  };
  switch (dtype) {
    case 'float32': (data as Float32Array).set(new Float32Array(words.buffer, words.byteOffset, n)); break;
    case 'int32': (data as Int32Array).set(ints.subarray(0, n)); break;
    case 'int64':
      for (let i = 0; i < n; i++) {
        if (checkUnwritten && ints[i] === POISON_I32) unwritten(i);
        (data as BigInt64Array)[i] = BigInt(ints[i]);
      }
      break;
    case 'bool':
      for (let i = 0; i < n; i++) {
        if (checkUnwritten && words[i] === POISON_BOOL) unwritten(i);
        (data as Uint8Array)[i] = words[i] ? 1 : 0;
      }
      break;
  }
  return { dtype, shape: [...shape], data };
}
