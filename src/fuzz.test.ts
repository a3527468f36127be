// Fuzzing the whole path a model takes: the bundled example models' bytes are mutated many times
// (bytes flipped, ranges cut, duplicated or zeroed, varints stretched) and each mutant goes
// through import → resolve → lower → both interpreters. Every mutant must end in a result or a
// FreightError — never another exception, never a hang.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FreightError } from '../ir/errors.js';
import { runProgram } from '../ir/loop/run-program.js';
import { lowerGraph } from '../ir/lower/lower.js';
import { importOnnx } from '../ir/onnx/index.js';
import { runReference } from '../ir/reference.js';
import { resolveGraph } from '../ir/resolve.js';
import { programFlops } from '../ir/stats.js';
import { bools, integers, rng, uniform, type Rng } from '../ir/testing/random.js';
import type { Tensor } from '../ir/tensor.js';

const EXAMPLES: readonly { file: string; shapes: Record<string, number[]> }[] = [
  { file: 'mobilenet-v2.onnx', shapes: { input: [1, 3, 32, 32] } },
  { file: 'resnet.onnx', shapes: { input: [1, 3, 32, 32] } },
  { file: 'bert-layer.onnx', shapes: { hidden: [2, 8, 64], attention_mask: [2, 8] } },
];

const MUTANTS_PER_MODEL = 150;
/** To bound the test's time, only this many mutants per model are run; the rest stop after lowering. */
const RUNS_PER_MODEL = 6;
const RUN_FLOPS_LIMIT = 3e7;

function mutate(bytes: Uint8Array, r: Rng): Uint8Array {
  const out = Uint8Array.from(bytes);
  const at = (): number => Math.floor(r() * out.length);
  switch (Math.floor(r() * 6)) {
    case 0: { // flip a few bytes
      const n = 1 + Math.floor(r() * 4);
      for (let i = 0; i < n; i++) out[at()] = Math.floor(r() * 256);
      return out;
    }
    case 1: return out.subarray(0, at()); // truncate
    case 2: { // delete a range
      const a = at();
      return Uint8Array.from([...out.subarray(0, a), ...out.subarray(Math.min(out.length, a + 1 + Math.floor(r() * 64)))]);
    }
    case 3: { // duplicate a range
      const a = at();
      const chunk = out.subarray(a, a + 1 + Math.floor(r() * 64));
      return Uint8Array.from([...out.subarray(0, a), ...chunk, ...out.subarray(a)]);
    }
    case 4: { // zero a range
      const a = at();
      out.fill(0, a, a + 1 + Math.floor(r() * 16));
      return out;
    }
    default: { // stretch a varint: set continuation bits
      const a = at();
      out.fill(0xff, a, a + 1 + Math.floor(r() * 9));
      return out;
    }
  }
}

type Outcome = 'ran' | 'compiled' | 'refused';

function attempt(bytes: Uint8Array, shapes: Record<string, number[]>, r: Rng, run: boolean): Outcome {
  const model = importOnnx(bytes);
  const names = new Set(model.graph.inputs.map((d) => d.name));
  const graph = resolveGraph(model, { shapes: Object.fromEntries(Object.entries(shapes).filter(([n]) => names.has(n))) });
  const program = lowerGraph(graph);
  if (!run || programFlops(program) > RUN_FLOPS_LIMIT) return 'compiled';
  const inputs: Record<string, Tensor> = {};
  for (const name of graph.inputs) {
    const { dtype, shape } = graph.values.get(name)!;
    inputs[name] = dtype === 'float32' ? uniform(r, shape) : dtype === 'bool' ? bools(r, shape) : integers(r, shape, 0, 2, dtype);
  }
  runReference(graph, inputs);
  runProgram(program, inputs);
  return 'ran';
}

describe('fuzzing the example models', () => {
  for (const { file, shapes } of EXAMPLES) {
    it(`${MUTANTS_PER_MODEL} mutants of ${file}: a result or one FreightError each`, () => {
      const original = readFileSync(new URL(`../examples/${file}`, import.meta.url));
      const r = rng(`fuzz-${file}`);
      const counts: Record<Outcome, number> = { ran: 0, compiled: 0, refused: 0 };
      for (let i = 0; i < MUTANTS_PER_MODEL; i++) {
        const bytes = mutate(original, r);
        const start = performance.now();
        let outcome: Outcome;
        try {
          outcome = attempt(bytes, shapes, r, counts.ran < RUNS_PER_MODEL);
        } catch (e) {
          if (!(e instanceof FreightError)) {
            throw new Error(`mutant ${i} of ${file} threw ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
          }
          expect(e.message.length).toBeGreaterThan(0);
          outcome = 'refused';
        }
        counts[outcome]++;
        expect(performance.now() - start, `mutant ${i} of ${file} took too long`).toBeLessThan(20_000);
      }
      // Both kinds of outcome must occur, or the mutations are not exercising anything.
      expect(counts.refused).toBeGreaterThan(0);
      expect(counts.ran + counts.compiled).toBeGreaterThan(0);
    }, 300_000);
  }
});
