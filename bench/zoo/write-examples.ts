// Writes the bundled example models (small zoo sizes, default seed) into examples/, with a
// README.md listing each one's inputs as the model declares them and the shapes to bind.
// Run: npx tsx bench/zoo/write-examples.ts [OUT_DIR]   (default: examples/ of this checkout)

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { onnx as pb } from 'onnx-proto';
import { onnx, elemTypeName } from '../../ir/onnx/index.js';
import { zooModel } from './index.js';
import { ZOO_SEED, type ZooModel } from './zoo-model.js';

/** The examples, by zoo name; mobilenet-v2 has a dynamic batch, so the README can show --shape. */
const EXAMPLES = ['mobilenet-v2', 'bert-layer', 'resnet'] as const;

/** The README refuses examples this large: they live in git. */
const MAX_BYTES = 1 << 20;

interface Written {
  readonly model: ZooModel;
  readonly file: string;
  readonly bytes: number;
  readonly inputs: readonly { name: string; dtype: string; declared: string; dynamic: boolean; bind: readonly number[] }[];
  readonly outputs: readonly { name: string; declared: string }[];
}

function dims(info: pb.IValueInfoProto): string {
  const shape = info.type?.tensorType?.shape?.dim ?? [];
  return `[${shape.map((d) => d.dimParam || String(d.dimValue ?? '?')).join(', ')}]`;
}

export function writeExamples(outDir: string): Written[] {
  fs.mkdirSync(outDir, { recursive: true });
  const written = EXAMPLES.map((name): Written => {
    const model = zooModel(name);
    if (!model) throw new Error(`write-examples: no zoo model '${name}'`);
    const bytes = model.build('small', ZOO_SEED);
    if (bytes.length > MAX_BYTES) throw new Error(`write-examples: ${name} is ${bytes.length} bytes, over the ${MAX_BYTES} allowed`);
    const file = `${name}.onnx`;
    fs.writeFileSync(path.join(outDir, file), bytes);
    const graph = onnx.ModelProto.decode(bytes).graph!;
    const bind = model.inputs('small');
    return {
      model,
      file,
      bytes: bytes.length,
      inputs: (graph.input ?? []).map((i) => ({
        name: i.name!,
        dtype: elemTypeName(i.type?.tensorType?.elemType ?? 0),
        declared: dims(i),
        dynamic: (i.type?.tensorType?.shape?.dim ?? []).some((d) => Boolean(d.dimParam)),
        bind: bind[i.name!],
      })),
      outputs: (graph.output ?? []).map((o) => ({ name: o.name!, declared: dims(o) })),
    };
  });
  fs.writeFileSync(path.join(outDir, 'README.md'), readme(written));
  return written;
}

function readme(examples: readonly Written[]): string {
  const lines = [
    '# Example models',
    '',
    'Small versions of three architectures from freight\'s model zoo (`bench/zoo/`), written with',
    'freight\'s own ONNX builder the way the PyTorch exporter writes them (opset 17; Conv and',
    'BatchNormalization unfolded, Constant nodes, shape computations through Shape/Gather/Concat) with',
    'seeded random weights. Regenerate them with `npx tsx bench/zoo/write-examples.ts`.',
    '',
    '| file | model | size | inputs (declared → bound) | outputs |',
    '|---|---|---|---|---|',
  ];
  for (const e of examples) {
    const inputs = e.inputs.map((i) => `\`${i.name}\` ${i.dtype} ${i.declared} → [${i.bind.join(', ')}]`).join('<br>');
    const outputs = e.outputs.map((o) => `\`${o.name}\` ${o.declared}`).join('<br>');
    lines.push(`| \`${e.file}\` | ${e.model.description} | ${(e.bytes / 1024).toFixed(0)} KiB | ${inputs} | ${outputs} |`);
  }
  lines.push('', 'Named dimensions (`batch`, `sequence`) are dynamic: bind them with `--shape` before freight', 'can resolve the model. For example:', '', '```sh');
  for (const e of examples) {
    const shapes = e.inputs.filter((i) => i.dynamic).map((i) => ` --shape ${i.name}=${i.bind.join(',')}`).join('');
    lines.push(`npx freight run examples/${e.file}${shapes}`);
  }
  lines.push('npx freight inspect examples/mobilenet-v2.onnx --shape input=4,3,32,32   # any batch size', '```', '');
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? fileURLToPath(new URL('../../examples/', import.meta.url));
  for (const e of writeExamples(outDir)) process.stderr.write(`wrote ${path.join(outDir, e.file)} (${(e.bytes / 1024).toFixed(0)} KiB)\n`);
}
