// The code of a whole-model plan, without a device: each dispatch's WGSL, schedule and workgroup
// grid — one per map, one per row kernel (whose maps run as phases of one shader, under its first
// map's schedule) — refused where the adapter's limits would refuse the plan (a buffer past the
// storage binding size, a shader binding too many buffers). No pipeline is built: on SwiftShader
// that is nearly all of a plan's compile time, and `freight compile` writes code for a later run.
// compile-plan.ts builds these dispatches' pipelines and runs them.

import { FreightError } from '../../ir/errors.js';
import { rowLayout } from '../../ir/fusion/index.js';
import { storageOf, type Program } from '../../ir/program.js';
import { sizeOf } from '../../ir/tensor.js';
import { generateMap, type GeneratedMap } from '../codegen/generate-map.js';
import { generateRowKernel } from '../codegen/generate-row-kernel.js';
import { mapSite, type MapSchedule } from '../schedule.js';
import type { PlannedDispatch } from './compile-plan.js';
import { gpuBytes } from './gpu-words.js';

export interface PlanDispatches {
  /** In the order the plan runs them; dispatches without points are left out. */
  readonly dispatches: readonly PlannedDispatch[];
  /** What codegen made for each dispatch (bindings, uniform words), index for index. */
  readonly generated: readonly GeneratedMap[];
  /** Distinct WGSL texts: the pipelines a run builds. */
  readonly pipelines: number;
}

/** `schedules`: resolveSchedule's, by map site; `limits`: the adapter's (or device's). */
export function planDispatches(program: Program, schedules: ReadonlyMap<string, MapSchedule>, limits: Readonly<Record<string, number>>): PlanDispatches {
  for (const b of program.buffers.values()) {
    const bytes = gpuBytes(sizeOf(b.shape));
    if (!b.aliasOf && bytes > limits.maxStorageBufferBindingSize) {
      throw new FreightError(`buffer '${b.name}' (${bytes} bytes) exceeds the device's storage binding limit of ${limits.maxStorageBufferBindingSize} bytes`);
    }
  }
  const lookup = { buffer: (name: string) => program.buffers.get(name)!, root: (name: string) => storageOf(program, name) };
  const dispatches: PlannedDispatch[] = [];
  const generated: GeneratedMap[] = [];
  for (const k of program.kernels) {
    const where = `kernel ${k.id} (${k.ops.join(', ') || 'copy'})`;
    const layout = rowLayout(program, k);
    const units = typeof layout === 'string'
      ? k.maps.map((m, i) => ({ site: mapSite(k.id, i), s: schedules.get(mapSite(k.id, i))!, generate: (s: MapSchedule) => generateMap(m, s, lookup) }))
      : [{ site: k.id, s: schedules.get(mapSite(k.id, 0))!, generate: (s: MapSchedule) => generateRowKernel(k, layout, s, lookup) }];
    for (const { site, s, generate } of units) {
      let g: GeneratedMap;
      try {
        g = generate(s);
      } catch (e) {
        throw new FreightError(`${where}: ${(e as Error).message}`);
      }
      if (g.bindings.length > limits.maxStorageBuffersPerShaderStage) {
        throw new FreightError(`${where} binds ${g.bindings.length} storage buffers; the device allows ${limits.maxStorageBuffersPerShaderStage}`);
      }
      if (g.workgroups[0] === 0) continue;
      dispatches.push({ site, ops: k.ops, schedule: s, code: g.code, workgroups: g.workgroups });
      generated.push(g);
    }
  }
  return { dispatches, generated, pipelines: new Set(dispatches.map((d) => d.code)).size };
}
