// The proposal pool over resnet's kernels: the same requests give the same proposals on the main
// thread and with one or two workers (answers arriving in any order), from the TypeScript sources
// (tsx, as under vitest) and from the compiled JavaScript of the build (plain node).

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { zooModel } from '../bench/zoo/index.js';
import { calibrate, NOMINAL_PROFILE } from '../cost-model/index.js';
import { workloadKey } from '../ir/canonical.js';
import { fuseProgram } from '../ir/fusion/index.js';
import { lowerGraph } from '../ir/lower/lower.js';
import { importOnnx } from '../ir/onnx/index.js';
import { resolveGraph } from '../ir/resolve.js';
import { bindSteps } from '../kernels/kernel-sites.js';
import { DEFAULT_TARGET, mapSite, resolveSchedule } from '../kernels/schedule.js';
import { openProposalPool } from './proposal-pool.js';
import type { Proposal, ProposalRequest, ProposalTask } from './proposer.js';
import { kernelProgram } from './task.js';

const resnet = zooModel('resnet')!;
const fused = fuseProgram(lowerGraph(resolveGraph(importOnnx(resnet.build('small')), { shapes: resnet.inputs('small') }))).program;
/** The first kernel with each op: the first convolution, the max pool, a residual block's end, the global pool, the classifier. */
const tasks: ProposalTask[] = ['Conv', 'MaxPool', 'Add', 'GlobalAveragePool', 'Gemm']
  .map((op) => fused.kernels.find((k) => k.ops.some((o) => o.endsWith(`/${op}`)))!)
  .map((k) => ({ key: workloadKey(fused, k), kernel: k, program: kernelProgram(fused, k) }));
const root = fileURLToPath(new URL('..', import.meta.url));

/** Three rounds of requests for every task, as a tuner makes them: the default alone, proposals around it, then around the best. */
async function rounds(propose: (r: ProposalRequest) => Promise<Proposal[]>, seed = 's'): Promise<Proposal[][]> {
  const request = (t: ProposalTask, observations: ProposalRequest['observations']): ProposalRequest =>
    ({ task: t.key, strategy: 'evolutionary', observations, count: 16, seed: `${seed}:${t.key}:${observations.length}` });
  const first = await Promise.all(tasks.map((t) => propose(request(t, []))));
  const observed = first.map(([d]) => [{ steps: d.steps, ms: d.predictedMs }]);
  const second = await Promise.all(tasks.map((t, i) => propose(request(t, observed[i]))));
  // Measured times that disagree with the predictions, so that the population is not the ranking.
  const third = await Promise.all(tasks.map((t, i) =>
    propose(request(t, [...observed[i], ...second[i].slice(0, 3).map((p, j) => ({ steps: p.steps, ms: p.predictedMs * (1 + j) }))]))));
  return [...first, ...second, ...third];
}

describe('proposal pool', () => {
  const main = openProposalPool(tasks, DEFAULT_TARGET, NOMINAL_PROFILE, 0);
  afterAll(() => main.close());

  it('answers the default first, then fresh proposals ranked by predicted time', async () => {
    const answers = await rounds(main.propose);
    for (const a of answers.slice(0, tasks.length)) expect(a).toMatchObject([{ steps: [] }]);
    for (const a of answers.slice(tasks.length)) {
      expect(a.length).toBeGreaterThan(1);
      expect(a.every((p) => p.steps.length > 0 && p.predictedMs > 0)).toBe(true);
      expect(a.map((p) => p.predictedMs)).toEqual(a.map((p) => p.predictedMs).sort((x, y) => x - y));
    }
    expect(await rounds(main.propose, 'another')).not.toEqual(answers);
  });

  it('never proposes a schedule that resolves like the default or like another proposal', async () => {
    const answers = await rounds(main.propose);
    answers.slice(tasks.length).forEach((answer, i) => {
      const t = tasks[i % tasks.length];
      const effect = (steps: Proposal['steps']): string => {
        const s = resolveSchedule(t.program, { v: 1, steps: bindSteps(steps, t.kernel.id) }, DEFAULT_TARGET);
        return JSON.stringify(t.kernel.maps.map((_, j) => s.get(mapSite(t.kernel.id, j))));
      };
      const effects = answer.map((p) => effect(p.steps));
      expect(new Set(effects).size).toBe(effects.length);
      expect(effects).not.toContain(effect([]));
    });
  });

  it.each([1, 2])('gives the main thread\'s proposals with %i worker(s)', async (workers) => {
    const pool = openProposalPool(tasks, DEFAULT_TARGET, NOMINAL_PROFILE, workers);
    try {
      expect(await rounds(pool.propose)).toEqual(await rounds(main.propose));
    } finally {
      await pool.close();
    }
  });

  it('ranks by the calibrated model it is given, alike on the main thread and in a worker', async () => {
    // Samples whose measured time grows with the predicted time's square: a residual to learn.
    const samples = (await rounds(main.propose)).flatMap((answer, i) => answer.map((p) => {
      const t = tasks[i % tasks.length];
      const s = resolveSchedule(t.program, { v: 1, steps: bindSteps(p.steps, t.kernel.id) }, DEFAULT_TARGET);
      return { program: t.program, kernel: t.kernel, schedules: t.kernel.maps.map((_, j) => s.get(mapSite(t.kernel.id, j))!), measuredMs: p.predictedMs ** 2 * 100, workload: t.key };
    }));
    const { fit, samples: n, workloads } = calibrate(samples, NOMINAL_PROFILE);
    const calibrated = openProposalPool(tasks, DEFAULT_TARGET, NOMINAL_PROFILE, 0, { fit, samples: n, workloads });
    const worker = openProposalPool(tasks, DEFAULT_TARGET, NOMINAL_PROFILE, 1, { fit, samples: n, workloads });
    try {
      const answers = await rounds(calibrated.propose);
      expect(answers.flat().map((p) => p.predictedMs)).not.toEqual((await rounds(main.propose)).flat().map((p) => p.predictedMs));
      expect(await rounds(worker.propose)).toEqual(answers);
    } finally {
      await Promise.all([calibrated.close(), worker.close()]);
    }
  });

  it('names a task it was not given', async () => {
    await expect(main.propose({ task: 'nope', strategy: 'random', observations: [], count: 1, seed: '' })).rejects.toThrow(/no tuning task 'nope'/);
  });

  describe('from the compiled JavaScript', () => {
    const out = mkdtempSync(join(tmpdir(), 'freight-build-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('gives the same proposals with two workers under plain node', async () => {
      const imported = build(out);
      // Workers never touch the GPU or the database: nothing they load reaches either.
      expect(imported.filter((m) => /^(webgpu|sqlite3)$|^kernels\/gpu\/|^tuning-db\//.test(m))).toEqual([]);
      const data = join(out, 'data.bin');
      const answers = join(out, 'answers.bin');
      writeFileSync(data, serialize({ tasks, target: DEFAULT_TARGET, profile: NOMINAL_PROFILE }));
      // Requests are those of the first two rounds (the third needs answers back): enough to cross the pool.
      const requests = tasks.flatMap((t) => [
        { task: t.key, strategy: 'random', observations: [], count: 16, seed: 'c' },
        { task: t.key, strategy: 'random', observations: [{ steps: [], ms: 1 }], count: 16, seed: 'c' },
      ]) satisfies ProposalRequest[];
      writeFileSync(join(out, 'requests.bin'), serialize(requests));
      const script = `
        import { readFileSync, writeFileSync } from 'node:fs';
        import { deserialize, serialize } from 'node:v8';
        import { openProposalPool } from './search/proposal-pool.js';
        const { tasks, target, profile } = deserialize(readFileSync(${JSON.stringify(data)}));
        const pool = openProposalPool(tasks, target, profile, 2);
        const requests = deserialize(readFileSync(${JSON.stringify(join(out, 'requests.bin'))}));
        writeFileSync(${JSON.stringify(answers)}, serialize(await Promise.all(requests.map(pool.propose))));
        await pool.close();`;
      writeFileSync(join(out, 'run.mjs'), script);
      await promisify(execFile)('node', [join(out, 'run.mjs')], { cwd: out, timeout: 50_000 });
      expect(deserialize(readFileSync(answers))).toEqual(await Promise.all(requests.map(main.propose)));
    });
  });
});

/**
 * The pool's modules and every module they import, compiled as `npm run build` compiles them
 * (tsconfig.build.json's options) but without its type check, in `out`, which resolves freight's
 * dependencies and module type as the package does. Returns what they import: freight's modules
 * (paths from the root) and packages.
 */
function build(out: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } })!;
  // A file on its own cannot tell NodeNext that the package is `"type": "module"`: say it.
  const compilerOptions = { ...config.options, module: ts.ModuleKind.ES2022 };
  const files = new Set([join(root, 'search/proposal-pool.ts'), join(root, 'search/propose-worker.ts')]);
  const packages = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const { fileName } of ts.preProcessFile(source).importedFiles) {
      if (fileName.startsWith('.')) files.add(join(dirname(file), fileName.replace(/\.js$/, '.ts')));
      else packages.add(fileName);
    }
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, ts.transpileModule(source, { compilerOptions, fileName: file }).outputText);
  }
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
  return [...[...files].map((f) => relative(root, f)), ...packages];
}
