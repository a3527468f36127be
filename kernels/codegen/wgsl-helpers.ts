// WGSL functions the generated code calls where WGSL's builtins differ from the loop interpreter's
// semantics (ir/loop/compile-map.ts): floor division and modulo, JavaScript's pow, a precise erf,
// overflow-safe tanh and sigmoid, ±inf and NaN (a WGSL const-expression may not evaluate to them).
// Only the helpers a shader uses are emitted, in dependency order.

export const HELPERS = {
  f_inf: 'fn f_inf() -> f32 { var b = 0x7f800000u; return bitcast<f32>(b); }',
  f_nan: 'fn f_nan() -> f32 { var b = 0x7fc00000u; return bitcast<f32>(b); }',
  is_nan: 'fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }',
  // Floor division and modulo on integers (idiv, mod of index arithmetic).
  idiv_i: `fn idiv_i(a: i32, b: i32) -> i32 {
  let q = a / b;
  return select(q, q - 1, (a % b != 0) && ((a < 0) != (b < 0)));
}`,
  mod_i: `fn mod_i(a: i32, b: i32) -> i32 {
  let r = a % b;
  return select(r, r + b, (r != 0) && ((r < 0) != (b < 0)));
}`,
  // floor(a / b) on floats, corrected by one where the division's rounding crossed an integer
  // (integer-valued floats, e.g. a MaxPool index held in a float accumulator, must divide exactly).
  idiv_f: `fn idiv_f(a: f32, b: f32) -> f32 {
  var q = floor(a / b);
  if (b > 0.0) { if ((q + 1.0) * b <= a) { q = q + 1.0; } else if (q * b > a) { q = q - 1.0; } }
  else if (b < 0.0) { if ((q + 1.0) * b >= a) { q = q + 1.0; } else if (q * b < a) { q = q - 1.0; } }
  return q;
}`,
  mod_f: 'fn mod_f(a: f32, b: f32) -> f32 { return ((a % b) + b) % b; }',
  // Math.pow: negative bases with integer exponents, exact squares, 0^negative = inf.
  pow_f: `fn pow_f(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (y == 1.0) { return x; }
  if (y == 2.0) { return x * x; }
  if (x == 0.0) { return select(0.0, f_inf(), y < 0.0); }
  if (x < 0.0) {
    if (floor(y) != y) { return f_nan(); }
    let r = pow(-x, y);
    return select(r, -r, (y * 0.5) != floor(y * 0.5));
  }
  return pow(x, y);
}`,
  // erf: Taylor series for |x| < 1 (relative error ~1e-8 near 0, where a rational fit such as
  // Abramowitz–Stegun 7.1.26 loses relative precision), Numerical Recipes' erfc (fractional
  // error < 1.2e-7) beyond.
  erf_f: `fn erf_f(x: f32) -> f32 {
  let a = abs(x);
  if (a < 1.0) {
    let z = a * a;
    let s = 1.0 + z * (-1.0 / 3.0 + z * (1.0 / 10.0 + z * (-1.0 / 42.0 + z * (1.0 / 216.0 + z * (-1.0 / 1320.0
      + z * (1.0 / 9360.0 + z * (-1.0 / 75600.0 + z * (1.0 / 685440.0 + z * (-1.0 / 6894720.0 + z * (1.0 / 76204800.0))))))))));
    return x * s * 1.1283791670955126;
  }
  if (a > 6.0) { return sign(x); }
  let t = 1.0 / (1.0 + 0.5 * a);
  let erfc = t * exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return sign(x) * (1.0 - erfc);
}`,
  // tanh: odd series near 0 (no cancellation), exp(-2|x|) beyond (no overflow).
  tanh_f: `fn tanh_f(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) {
    let z = a * a;
    return x * (1.0 + z * (-1.0 / 3.0 + z * (2.0 / 15.0 + z * (-17.0 / 315.0 + z * (62.0 / 2835.0 + z * (-1382.0 / 155925.0 + z * (21844.0 / 6081075.0)))))));
  }
  let t = exp(-2.0 * a);
  return sign(x) * (1.0 - t) / (1.0 + t);
}`,
  sigmoid_f: `fn sigmoid_f(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}`,
  // Float → integer: truncation, NaN → 0, saturating at the i32 range. WGSL's i32() saturates at
  // the f32 nearest below 2^31 (2147483520), so an empty max/min's ±inf identity and any value
  // beyond 2^31 are mapped to INT32_MAX exactly; i32() already gives INT32_MIN below -2^31.
  to_i: 'fn to_i(x: f32) -> i32 { return select(select(i32(x), 2147483647, x >= 2147483648.0f), 0, is_nan(x)); }',
  // WGSL only promises 2^-11 absolute for sin and cos (SwiftShader is that coarse): reduce to
  // [-pi, pi] subtracting 2pi in two parts (Cody–Waite, exact in f32), fold to [-pi/2, pi/2],
  // and evaluate the Taylor polynomial to degree 11 (error below 6e-8 there).
  reduce_2pi: 'fn reduce_2pi(x: f32) -> f32 { let k = round(x * 0.15915494309189535f); return (x - k * 6.28125f) - k * 1.9353071795864769e-3f; }',
  sin_poly: 'fn sin_poly(r: f32) -> f32 { let r2 = r * r; return r * (1.0f + r2 * (-1.6666667e-1f + r2 * (8.3333333e-3f + r2 * (-1.9841270e-4f + r2 * (2.7557319e-6f + r2 * -2.5052108e-8f))))); }',
  sin_f: 'fn sin_f(x: f32) -> f32 { let r = reduce_2pi(x); let h = 1.5707963f; return sin_poly(select(select(r, -3.1415927f - r, r < -h), 3.1415927f - r, r > h)); }',
  cos_f: 'fn cos_f(x: f32) -> f32 { return sin_poly(1.5707963f - abs(reduce_2pi(x))); }',
} as const;

export type HelperName = keyof typeof HELPERS;

const DEPENDS: Partial<Record<HelperName, readonly HelperName[]>> = {
  pow_f: ['f_inf', 'f_nan'],
  to_i: ['is_nan'],
  sin_f: ['reduce_2pi', 'sin_poly'],
  cos_f: ['reduce_2pi', 'sin_poly'],
};

/** The source of the helpers `used` and their dependencies, dependencies first. */
export function helperSource(used: ReadonlySet<HelperName>): string {
  const out: HelperName[] = [];
  const visit = (h: HelperName): void => {
    if (out.includes(h)) return;
    for (const d of DEPENDS[h] ?? []) visit(d);
    out.push(h);
  };
  for (const h of [...used].sort()) visit(h);
  return out.map((h) => HELPERS[h]).join('\n');
}
