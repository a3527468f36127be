// `npm run bench`: every benchmark of the current stage, results written to bench/results/.
//  - the IR on the zoo at small sizes: import, resolve, lower, and both interpreters against
//    ONNX Runtime's CPU EP on the same inputs;
//  - the IR pipeline alone (import, resolve, lower) on full-size models, BERT-base's whole
//    12-layer encoder (~1,300 nodes) among them;
//  - real models exported by other tools (bench/wild), both interpreters against ONNX Runtime;
//  - freight's WebGPU plan against ONNX Runtime's WebGPU and CPU EPs on the zoo (`freight bench`),
//    written to bench/results/<device>.{md,json}.

import { execFileSync } from 'node:child_process';

const run = (script: string, args: string[]): void => {
  execFileSync(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'inherit' });
};

run('bench/ir-bench.ts', ['--size', 'small', '--runs', '7', '--out', 'bench/results/ir-small']);
run('bench/ir-bench.ts', ['--size', 'full', '--runs', '5', '--pipeline-only', '--out', 'bench/results/ir-full-pipeline']);
run('bench/wild/report.ts', ['--out', 'bench/results/wild']);
run('bench/webgpu-bench.ts', ['--out', 'bench/results']);
