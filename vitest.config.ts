import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,ir,transform-space,search,cost-model,kernels,tuning-db,bench}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Operator tests also check the generated WebGPU kernels (see the file).
    setupFiles: ['kernels/testing/webgpu-leg.ts'],
  },
});
