// Real models from the wild through freight's command line, checked against ONNX Runtime: for each
// model of the manifest's test tier, fetch it (a failed download fails the test), `freight inspect`
// must resolve it, and `freight run --backend reference|loop` on seeded .npy inputs must write one
// .npy per output, named after the output, that matches ORT's CPU result. Both backends of a model
// run at once, in child processes.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareTensors } from '../../ir/testing/compare.js';
import type { ModelReport, RunReport } from '../../src/index.js';
import { readNpy } from '../../src/npy.js';
import { fetchModel } from './fetch.js';
import { freightJson } from './freight-cli.js';
import { shapeArgs, WILD_MODELS, type Backend } from './models.js';
import { runOrt } from '../../ir/testing/ort.js';
import { inputArgs, wildInputs, writeInputs } from './wild-inputs.js';

const RTOL = 1e-4;
/** Per model; each freight command is killed a little before, so that none outlives the test. */
const TEST_MS = 240_000;
const COMMAND_MS = 200_000;

/** The output file name of the command-line contract, written out independently of freight's. */
const npyName = (output: string): string => `${output.replace(/[^A-Za-z0-9._-]/g, '_')}.npy`;

describe('wild models: freight agrees with ONNX Runtime', () => {
  for (const m of WILD_MODELS.filter((x) => x.tier === 'test')) {
    it(`${m.name} (${m.exporter}, opset ${m.opset})`, async () => {
      const path = await fetchModel(m);
      const dir = mkdtempSync(join(tmpdir(), `freight-wild-${m.name}-`));
      try {
        const shapes = shapeArgs(m);
        const inspected = await freightJson<ModelReport>(['inspect', path, ...shapes], COMMAND_MS);
        const unsupported = inspected.unsupported.map((u) => `${u.op} (${u.nodes.length})`).join(', ');
        expect(unsupported, `${m.name}: unsupported operators`).toBe('');
        expect(inspected.resolved, `${m.name}: ${inspected.note}`).toBeDefined();
        for (const i of inspected.inputs) expect(i.shape, `input ${i.name}`).toEqual(m.inputs[i.name]?.shape);

        const inputs = wildInputs(m);
        const files = inputArgs(writeInputs(inputs, dir));
        const ort = await runOrt(path, inputs);
        const backends: readonly Backend[] = m.backends ?? ['reference', 'loop', 'webgpu'];
        const runs = await Promise.all(backends.map((backend) => freightJson<RunReport>(
          ['run', path, ...shapes, ...files, '--backend', backend, '--out', join(dir, backend)], COMMAND_MS)));

        runs.forEach((run, b) => {
          expect(run.outputs.map((o) => o.name), `${backends[b]} outputs`).toEqual([...ort.outputs.keys()]);
          for (const o of run.outputs) {
            expect.soft(basename(o.file ?? ''), `file of output '${o.name}'`).toBe(npyName(o.name));
            const expected = ort.outputs.get(o.name);
            if (!o.file || !expected) continue;
            const actual = readNpy(readFileSync(o.file), o.file);
            if (m.uncomparable?.[o.name]) {
              expect.soft([actual.dtype, actual.shape], `output '${o.name}'`).toEqual([expected.dtype, expected.shape]);
              continue;
            }
            const c = compareTensors(actual, expected, m.rtol ?? RTOL);
            console.log(`${m.name} ${backends[b]} '${o.name}' [${o.shape.join(',')}]: maxRelError ${c.maxRelError.toExponential(2)}, ${run.runMs.toFixed(0)} ms (ORT ${ort.runMs.toFixed(1)} ms)`);
            expect.soft(c.ok, `${m.name} ${backends[b]} '${o.name}': ${c.detail}`).toBe(true);
          }
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, TEST_MS);
  }
});
