// Small candidate kernels for the measurers' tests: a correct one with its verify function, and
// ones that are wrong, do not compile, run long or never end.

import type { KernelSpec } from './kernel-spec.js';
import type { Verdict } from './measure-result.js';

const N = 1024;

/** out[i] = 2 * in[i], or whatever `code` computes instead. */
export const double = (code = 'out[i] = 2.0 * x[i];'): KernelSpec => ({
  code: '@group(0) @binding(0) var<storage, read> x: array<f32>;\n'
    + '@group(0) @binding(1) var<storage, read_write> out: array<f32>;\n'
    + `@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { let i = g.x; if (i < ${N}u) { ${code} } }`,
  bindings: [
    { binding: 0, kind: 'read-only-storage', data: Float32Array.from({ length: N }, (_, i) => i) },
    { binding: 1, kind: 'storage', size: N * 4, output: true },
  ],
  workgroups: [N / 64],
});

/** Checks the output of `double()`; NaN (an element never written) counts as an infinite error. */
export function verifyDouble([out]: readonly ArrayBuffer[]): Verdict {
  const y = new Float32Array(out);
  let maxError = 0;
  for (let i = 0; i < N; i++) maxError = Math.max(maxError, Number.isNaN(y[i]) ? Infinity : Math.abs(y[i] - 2 * i));
  return { ok: maxError <= 1e-6, maxError, detail: `max error ${maxError}` };
}

/**
 * Each invocation loops `n` times, a count read from a buffer, so the compiler cannot see it:
 * 2^32 - 1 never ends in practice.
 */
export const loop = (n: number): KernelSpec => ({
  code: 'struct U { n: u32 }\n@group(0) @binding(0) var<uniform> u: U;\n'
    + '@group(0) @binding(1) var<storage, read_write> out: array<f32>;\n'
    + '@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {\n'
    + '  var acc = 0.0;\n  for (var i = 0u; i < u.n; i++) { acc = acc * 1.0000001 + 1.0; }\n  out[g.x] = acc;\n}',
  bindings: [
    { binding: 0, kind: 'uniform', data: new Uint32Array([n, 0, 0, 0]) },
    { binding: 1, kind: 'storage', size: 16 * 64 * 4, output: true },
  ],
  workgroups: [16],
});
