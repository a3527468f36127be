// Every zoo model at its small size, through freight's public path (write the .onnx, loadModel with
// the shapes bound), against ONNX Runtime (CPU) on the same seeded inputs: the reference
// interpreter and the loop interpreter over the lowered program must both agree with it. No Shape
// node may survive resolution, and in models whose Shape → Gather → Unsqueeze → Concat chains
// only compute reshape targets, no Gather or Concat either (BERT's Unsqueezes of its mask stay).
// Models with a dynamic batch are run again at batch 3, so no fold may have baked in batch 1.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../ir/graph.js';
import { lowerGraph } from '../../ir/lower/lower.js';
import { runProgram } from '../../ir/loop/run-program.js';
import { runReference } from '../../ir/reference.js';
import { compareTensors } from '../../ir/testing/compare.js';
import type { Tensor } from '../../ir/tensor.js';
import { loadModel } from '../../src/model.js';
import { onnx } from '../../ir/onnx/index.js';
import { ZOO } from './index.js';
import { runOrt } from '../../ir/testing/ort.js';
import { zooInputs } from './zoo-inputs.js';

/** Models whose Gather and Concat nodes all compute reshape targets. */
const SHAPE_ONLY = new Set(['resnet', 'mobilenet-v2', 'efficientnet-b0', 'bert-layer']);
const SHAPE_OPS = ['Shape', 'Gather', 'Concat'];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freight-zoo-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Memoizes f, so that each test can ask for what it needs and fail on its own. */
function once<T>(f: () => T): () => T {
  let result: { value: T } | undefined;
  return () => (result ??= { value: f() }).value;
}

function expectMatches(what: string, actual: ReadonlyMap<string, Tensor>, expected: ReadonlyMap<string, Tensor>): void {
  for (const [name, want] of expected) {
    const got = actual.get(name);
    expect(got, `${what}: no output '${name}'`).toBeDefined();
    const cmp = compareTensors(got!, want, 1e-4);
    console.log(`${what} '${name}': maxRelError ${cmp.maxRelError.toExponential(2)}`);
    expect(cmp.ok, `${what} '${name}': ${cmp.detail}`).toBe(true);
  }
}

function timed<T>(what: string, f: () => T): T {
  const start = performance.now();
  const result = f();
  console.log(`${what}: ${(performance.now() - start).toFixed(0)} ms`);
  return result;
}

/** The shapes with every axis the model declares as 'batch' set to `batch`. */
function withBatch(bytes: Uint8Array, shapes: Readonly<Record<string, readonly number[]>>, batch: number): Record<string, number[]> {
  const declared = onnx.ModelProto.decode(bytes).graph?.input ?? [];
  return Object.fromEntries(Object.entries(shapes).map(([name, shape]) => {
    const dims = declared.find((d) => d.name === name)?.type?.tensorType?.shape?.dim ?? [];
    return [name, shape.map((n, i) => (dims[i]?.dimParam === 'batch' ? batch : n))];
  }));
}

describe.each(ZOO.map((m) => [m.name, m] as const))('zoo: %s (small)', (name, model) => {
  const shapes = model.inputs('small');
  // Built while collecting: whether the batch is dynamic decides which tests run.
  const bytes = model.build('small');
  const shapes3 = withBatch(bytes, shapes, 3);
  const file = once(() => {
    const f = path.join(dir, `${name}.onnx`);
    fs.writeFileSync(f, bytes);
    return f;
  });
  const inputs = once(() => zooInputs(bytes, shapes));
  const expected = once(async () => (await runOrt(bytes, inputs())).outputs);
  const graph = once((): Graph => loadModel(file(), { shapes }).graph);

  it('runs in ONNX Runtime', async () => {
    const out = await expected();
    expect(out.size).toBeGreaterThan(0);
  });

  it('loads and folds its shape computations', () => {
    const ops = graph().nodes.map((n) => n.op);
    expect(ops).not.toContain('Shape');
    if (SHAPE_ONLY.has(name)) expect(ops.filter((op) => SHAPE_OPS.includes(op))).toEqual([]);
  });

  it('reference interpreter matches ONNX Runtime', async () => {
    const want = await expected();
    const got = timed(`${name} reference`, () => runReference(graph(), inputs()));
    expectMatches(`${name} reference`, got, want);
  });

  it('loop interpreter matches ONNX Runtime', async () => {
    const want = await expected();
    const program = timed(`${name} lower`, () => lowerGraph(graph()));
    const got = timed(`${name} loop`, () => runProgram(program, inputs()));
    expectMatches(`${name} loop`, got, want);
  });

  // Only models whose batch is dynamic get this test (a fixed batch has nothing to bind).
  if (JSON.stringify(shapes3) !== JSON.stringify(shapes)) {
    it('binds a dynamic batch of 3', async () => {
      const inputs3 = zooInputs(bytes, shapes3, 3);
      const got = runReference(loadModel(file(), { shapes: shapes3 }).graph, inputs3);
      expectMatches(`${name} reference, batch 3`, got, (await runOrt(bytes, inputs3)).outputs);
    });
  }
});
