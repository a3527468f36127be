// Seeded inputs for a wild model, as the manifest describes them (uniform noise, or a page of
// text-like strokes for detectors), and their .npy files for `freight run --input NAME=FILE.npy`.
// The same tensors go to ONNX Runtime.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng, uniform, type Rng } from '../../ir/testing/random.js';
import { fromNumbers, sizeOf, type Tensor } from '../../ir/tensor.js';
import { writeNpy } from '../../src/npy.js';
import type { WildInput, WildModel } from './models.js';

export const WILD_SEED = 7;

/** Every input of the model, float32. */
export function wildInputs(m: WildModel, seed = WILD_SEED): Record<string, Tensor> {
  const r = rng(`${m.name}/${seed}`);
  return Object.fromEntries(Object.entries(m.inputs).map(([name, i]) => [name, draw(r, i)]));
}

function draw(r: Rng, i: WildInput): Tensor {
  const [lo, hi] = i.range ?? [-1, 1];
  return i.fill === 'text' ? textPage(r, i.shape, lo, hi) : uniform(r, i.shape, lo, hi);
}

/**
 * An NCHW page: rows of random-width dark strokes (`ink`) separated by light gaps (`paper`), the
 * same in every channel, with noise of 5% of the contrast.
 */
function textPage(r: Rng, shape: readonly number[], ink: number, paper: number): Tensor {
  if (shape.length !== 4) throw new Error(`a text page needs an NCHW shape, got [${shape.join(',')}]`);
  const [h, w] = shape.slice(2);
  const page = new Float64Array(h * w).fill(paper);
  const lineH = Math.max(4, Math.round(h / 6));
  for (let top = Math.round(lineH / 2); top + lineH <= h; top += 2 * lineH) {
    for (let x = 2 + Math.floor(r() * 4); x < w - 2;) {
      const stroke = 1 + Math.floor(r() * 3);
      for (let y = top; y < top + lineH; y++) for (let dx = 0; dx < stroke && x + dx < w; dx++) page[y * w + x + dx] = ink;
      x += stroke + 1 + Math.floor(r() * 3);
    }
  }
  const xs = new Float64Array(sizeOf(shape));
  const noise = 0.05 * (paper - ink);
  for (let i = 0; i < xs.length; i++) xs[i] = page[i % (h * w)] + noise * (r() - 0.5);
  return fromNumbers('float32', shape, xs);
}

/** Writes one .npy per input into `dir` (numbered: input names need not be file names). */
export function writeInputs(inputs: Readonly<Record<string, Tensor>>, dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, t], i) => {
    const file = join(dir, `input-${i}.npy`);
    writeFileSync(file, writeNpy(t));
    return [name, file];
  }));
}

/** The `--input NAME=FILE` arguments for the files. */
export function inputArgs(files: Readonly<Record<string, string>>): string[] {
  return Object.entries(files).flatMap(([name, file]) => ['--input', `${name}=${file}`]);
}
