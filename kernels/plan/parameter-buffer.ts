// The uniform parameters of a plan's dispatches (codegen/uniform-params.ts) in one buffer, written
// once when the plan is compiled: each dispatch's words at an offset the device can bind (its
// minUniformBufferOffsetAlignment), bound through a static offset in the dispatch's own bind group.

/** The bind group entry of dispatch `i`'s parameters at `binding`; none where it has none. */
export type ParameterEntries = (i: number, binding: number) => GPUBindGroupEntry[];

export function parameterBuffer(device: GPUDevice, uniforms: readonly (Uint32Array | undefined)[]): ParameterEntries {
  const align = device.limits.minUniformBufferOffsetAlignment;
  let bytes = 0;
  const at = uniforms.map((words) => {
    if (!words) return -1;
    const offset = Math.ceil(bytes / align) * align;
    bytes = offset + words.byteLength;
    return offset;
  });
  if (bytes === 0) return () => [];
  const all = new Uint32Array(bytes / 4);
  uniforms.forEach((words, i) => { if (words) all.set(words, at[i] / 4); });
  const buffer = device.createBuffer({ label: 'parameters', size: bytes, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, all);
  return (i, binding) => {
    const words = uniforms[i];
    return words ? [{ binding, resource: { buffer, offset: at[i], size: words.byteLength } }] : [];
  };
}
