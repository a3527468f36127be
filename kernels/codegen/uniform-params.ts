// The run-time parameters of one generated map: extents, strides, the integer constants of index
// arithmetic, the grid's width and bounds. Under 'constant' each is a WGSL literal. Under
// 'uniform' each use is a slot of one `var<uniform>` array of vec4<i32> (uniform arrays have a
// 16-byte element stride), so that maps differing only in shapes produce the same WGSL text and
// share a pipeline. Slots are taken in the order of emission and never merged by value: two
// values equal in one map may differ in another map of the same text.
// Sharing is always sound: a text runs with the slot values of the map that generated it. So
// codegen could still shape the text by values; under 'uniform' it does not where shapes commonly
// differ (a tail guard is kept where it cannot fire, an unrolled loop's remainder is a loop), so
// that more maps share.
// The slots are copied into `let` values at the top of the shader: a value read once, not a load
// the compiler may repeat in every iteration of a loop.

import { intLiteral } from './wgsl-expr.js';

export type ParameterPlace = 'constant' | 'uniform';

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const COMPONENT = 'xyzw';

export interface Params {
  /** The integer `x` as an i32 WGSL expression: a literal, or its uniform slot. */
  int(x: number): string;
  /** The integer `x` as a u32 WGSL expression. */
  u32(x: number): string;
  /** Under 'uniform': code must not depend on the values (a guard that cannot fire is kept, a stride of 1 multiplied). */
  readonly uniform: boolean;
  /** The declaration of the uniform array at `binding`; none under constants or without slots. */
  declaration(binding: number): string | undefined;
  /** The statements that open the shader's body: each slot read into its `let` value. */
  prelude(): string[];
  /** The slots' values (i32 bit patterns), padded to whole vec4s; undefined where there is no declaration. */
  words(): Uint32Array | undefined;
}

export function paramsOf(place: ParameterPlace): Params {
  const slots: number[] = [];
  const slot = (x: number): string => {
    if (!Number.isInteger(x) || x < I32_MIN || x > I32_MAX) throw new Error(`codegen: the parameter ${x} does not fit an i32`);
    return `u_${slots.push(x) - 1}`;
  };
  const constant = place === 'constant';
  return {
    uniform: !constant,
    int: (x) => (constant ? intLiteral(x) : slot(x)),
    u32: (x) => (constant ? `${x}u` : `u32(${slot(x)})`),
    declaration: (binding) => (constant || slots.length === 0 ? undefined
      : `@group(0) @binding(${binding}) var<uniform> u: array<vec4<i32>, ${Math.ceil(slots.length / 4)}>;`),
    prelude: () => slots.map((_, i) => `let u_${i} = u[${i >> 2}].${COMPONENT[i & 3]};`),
    words() {
      if (constant || slots.length === 0) return undefined;
      const words = new Int32Array(Math.ceil(slots.length / 4) * 4);
      words.set(slots);
      return new Uint32Array(words.buffer);
    },
  };
}
