// A device profile as a readable table for `freight device` without --json.

import Table from 'cli-table3';
import type { DeviceProfile } from './device-profile.js';

const num = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toPrecision(digits) : 'n/a');

/** Limits worth reading at a glance; --json has them all. */
const KEY_LIMITS = [
  'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension', 'maxComputeWorkgroupStorageSize', 'maxStorageBufferBindingSize', 'maxBufferSize',
  'maxStorageBuffersPerShaderStage', 'maxUniformBufferBindingSize',
];

export function formatProfile(p: DeviceProfile): string {
  const style = { head: [], border: [] };
  const id = new Table({ style });
  id.push(
    ['name', p.device.name],
    ['kind', p.device.kind],
    ['vendor', p.device.vendor],
    ['architecture', p.device.architecture],
    ['device', p.device.device],
    ['description', p.device.description],
    ['fingerprint', p.device.fingerprint],
  );
  const measured = new Table({ head: ['measured', 'value', 'median ms', 'min ms', 'max ms', 'runs'], style });
  const row = (label: string, value: string, r: DeviceProfile['runs'][keyof DeviceProfile['runs']]) =>
    measured.push([label, value, num(r.medianMs), num(r.minMs), num(r.maxMs), String(r.runs)]);
  measured.push(['timer resolution', `${num(p.timer.resolutionNs)} ns${p.timer.quantized ? ' (quantized)' : ''} (${p.timer.source})`, '', '', '', '']);
  row('copy bandwidth', `${num(p.copyGBps)} GB/s`, p.runs.copy);
  row('fp32 FMA rate', `${num(p.fmaGflops)} GFLOP/s`, p.runs.fma);
  row('dispatch overhead', `${num(p.dispatchUs)} µs`, p.runs.dispatch);
  row('workgroup memory', `${num(p.workgroupMemoryGBps)} GB/s`, p.runs.workgroupMemory);
  const limits = new Table({ head: ['limit', 'value'], style });
  for (const k of KEY_LIMITS) if (k in p.limits) limits.push([k, String(p.limits[k])]);
  return [id.toString(), measured.toString(), limits.toString(), `features: ${p.features.join(', ')}`, `profiled in ${(p.profileMs / 1000).toFixed(1)} s`].join('\n');
}
