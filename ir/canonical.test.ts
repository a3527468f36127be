// Workload keys: identical layers share one, any change of shape or computation gives another.

import { describe, expect, it } from 'vitest';
import { zooModel } from '../bench/zoo/index.js';
import { canonicalKernel, workloadKey, workloadSummary } from './canonical.js';
import { c, bin, read, v } from './expr.js';
import type { Graph } from './graph.js';
import { lowerGraph } from './lower/lower.js';
import { importOnnx } from './onnx/index.js';
import type { Buffer, Kernel, Program } from './program.js';
import { resolveGraph } from './resolve.js';

function lowerZoo(name: string): { graph: Graph; program: Program } {
  const z = zooModel(name)!;
  const graph = resolveGraph(importOnnx(z.build('small')), { shapes: z.inputs('small') });
  return { graph, program: lowerGraph(graph) };
}

/** out[i, j] = x[i, j] * s + y[j]: one kernel over named buffers, names and dims chosen by the caller. */
function scaleAdd(names: { x: string; y: string; out: string; i: string; j: string }, shape: [number, number], s = 2): Program {
  const buffers: Buffer[] = [
    { name: names.x, dtype: 'float32', shape, kind: 'input' },
    { name: names.y, dtype: 'float32', shape: [shape[1]], kind: 'constant' },
    { name: names.out, dtype: 'float32', shape, kind: 'output' },
  ];
  const kernel: Kernel = {
    id: `k_${names.out}`,
    ops: [`node_${names.out}`],
    maps: [{
      dims: [{ name: names.i, extent: shape[0] }, { name: names.j, extent: shape[1] }],
      reads: [{ buffer: names.x, index: [v(names.i), v(names.j)] }, { buffer: names.y, index: [v(names.j)] }],
      body: bin('add', bin('mul', read(0), c(s)), read(1)),
      write: { buffer: names.out, index: [v(names.i), v(names.j)] },
    }],
  };
  return { buffers: new Map(buffers.map((b) => [b.name, b])), constants: new Map(), inputs: [names.x], outputs: [{ name: names.out, buffer: names.out }], kernels: [kernel] };
}

const key = (p: Program): string => workloadKey(p, p.kernels[0]);
const names = { x: 'x', y: 'y', out: 'out', i: 'i', j: 'j' };

describe('workloadKey', () => {
  it('is the same for the identical convolutions of two residual blocks of the zoo ResNet', () => {
    const { graph, program } = lowerZoo('resnet');
    const convs = program.kernels.filter((k) => workloadSummary(program, k, graph).ops.join() === 'Conv');
    const byKey = new Map<string, Kernel[]>();
    for (const k of convs) byKey.set(workloadKey(program, k), [...(byKey.get(workloadKey(program, k)) ?? []), k]);
    const shared = [...byKey.values()].find((ks) => ks.length >= 2)!;
    expect(shared).toBeDefined();
    const [a, b] = shared;
    expect(a.id).not.toBe(b.id);
    expect(a.ops).not.toEqual(b.ops);
    expect(a.maps[0].reads.map((r) => r.buffer)).not.toEqual(b.maps[0].reads.map((r) => r.buffer));
    // Yet not every convolution shares it: the stages differ in shape.
    expect(byKey.size).toBeGreaterThan(1);
  });

  it('ignores buffer, dim, kernel and node names', () => {
    const renamed = scaleAdd({ x: 'input.7', y: 'bias/3', out: 'Add_out', i: 'n', j: 'c' }, [4, 8]);
    expect(key(renamed)).toBe(key(scaleAdd(names, [4, 8])));
  });

  it('changes with any extent, the body, a constant, a buffer kind or a dtype', () => {
    const base = key(scaleAdd(names, [4, 8]));
    const variants: Program[] = [
      scaleAdd(names, [4, 9]),
      scaleAdd(names, [5, 8]),
      scaleAdd(names, [4, 8], 3),
      withBuffer(scaleAdd(names, [4, 8]), 'y', { kind: 'input' }),
      withBuffer(scaleAdd(names, [4, 8]), 'x', { dtype: 'int32' }),
    ];
    const keys = new Set([base, ...variants.map(key)]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it('gives the zoo BERT layer distinct keys for MatMuls of different shapes', () => {
    const { graph, program } = lowerZoo('bert-layer');
    const matmuls = program.kernels.filter((k) => workloadSummary(program, k, graph).ops.includes('MatMul'));
    const shapesOf = (k: Kernel): string => workloadSummary(program, k, graph).shapes.join();
    const distinctShapes = new Set(matmuls.map(shapesOf)).size;
    expect(distinctShapes).toBeGreaterThan(1);
    expect(new Set(matmuls.map((k) => workloadKey(program, k))).size).toBeGreaterThanOrEqual(distinctShapes);
  });

  it('keeps aliasing: a read of the written storage differs from a read of another buffer', () => {
    const p = scaleAdd(names, [4, 8]);
    const inPlace: Program = { ...p, buffers: new Map([...p.buffers, ['x', { ...p.buffers.get('x')!, kind: 'output', aliasOf: 'out' }]]) };
    expect(canonicalKernel(inPlace, inPlace.kernels[0])).toMatch(/^b0 = .* in s0\nb1 = .* in s0\n/);
    expect(key(inPlace)).not.toBe(key(withBuffer(p, 'x', { kind: 'output' })));
  });

  it('spells every number exactly, so infinite and negative-zero pads stay distinct', () => {
    const p = scaleAdd(names, [4, 8]);
    const padded = (pad: number): Program => ({
      ...p,
      kernels: [{ ...p.kernels[0], maps: [{ ...p.kernels[0].maps[0], reads: [{ ...p.kernels[0].maps[0].reads[0], pad }, p.kernels[0].maps[0].reads[1]] }] }],
    });
    const keys = [-Infinity, Infinity, NaN, 0].map((pad) => key(padded(pad)));
    expect(new Set(keys).size).toBe(4);
    const minusInfinity = padded(-Infinity);
    expect(canonicalKernel(minusInfinity, minusInfinity.kernels[0])).toContain('pad -Infinity');
  });
});

describe('workloadSummary', () => {
  it('names the operator types and the shapes, the write first', () => {
    const { graph, program } = lowerZoo('resnet');
    const conv = program.kernels.find((k) => workloadSummary(program, k, graph).ops.includes('Conv'))!;
    const summary = workloadSummary(program, conv, graph);
    expect(summary.ops).toEqual(['Conv']);
    const written = program.buffers.get(conv.maps[0].write.buffer)!;
    expect(summary.shapes[0]).toBe(`float32[${written.shape.join(',')}]`);
  });
});

function withBuffer(p: Program, name: string, change: Partial<Buffer>): Program {
  return { ...p, buffers: new Map([...p.buffers, [name, { ...p.buffers.get(name)!, ...change }]]) };
}
