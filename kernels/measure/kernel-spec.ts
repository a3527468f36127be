// A candidate kernel as plain data: WGSL source, its buffers and one dispatch. Plain data so that
// the measurer stays independent of the code generator, and so that a spec could be sent to
// another process.

export interface KernelBinding {
  /** Binding number in group 0. */
  readonly binding: number;
  readonly kind: 'storage' | 'read-only-storage' | 'uniform';
  /** Initial contents; when absent the buffer has `size` bytes. */
  readonly data?: ArrayBufferView;
  /** Size in bytes when there is no `data`. */
  readonly size?: number;
  /** Filled with NaN before the verification run and read back after it. */
  readonly output?: boolean;
}

export interface KernelSpec {
  readonly code: string;
  /** Default 'main'. */
  readonly entryPoint?: string;
  readonly bindings: readonly KernelBinding[];
  /** Workgroup counts (x, y, z). */
  readonly workgroups: readonly [number, number?, number?];
}

/**
 * The binding of a generated kernel's uniform parameters (codegen/uniform-params.ts), which
 * follows its `storage` storage bindings; none where the kernel has its parameters as literals.
 */
export function parameterBindings(storage: number, uniforms: Uint32Array | undefined): KernelBinding[] {
  return uniforms ? [{ binding: storage, kind: 'uniform', data: uniforms }] : [];
}
