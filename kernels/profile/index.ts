// The device profile: microbenchmarks that the cost model's roofline reads.

export { profileDevice, type DeviceProfile } from './device-profile.js';
export { formatProfile } from './format-profile.js';
export { copyBenchmark, dispatchBenchmark, fmaBenchmark, workgroupMemoryBenchmark, type Microbenchmark } from './microbenchmarks.js';
