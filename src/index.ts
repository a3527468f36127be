// freight's public API: what the command line uses, and what a program embedding freight uses.

export { loadModel, lowerModel, type LoadOptions, type LoadedModel } from './model.js';
export { inspectModel, type ModelReport } from './commands/inspect.js';
export { runModel, type RunOptions, type RunReport } from './commands/run.js';
export { readNpy, writeNpy } from './npy.js';
export { FreightError } from '../ir/errors.js';
export type { Tensor, DType } from '../ir/tensor.js';
