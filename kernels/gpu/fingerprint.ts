// A device's identity for the tuning database: a sha256 fingerprint and a readable name.
//
// What goes into the fingerprint (each as `key=value`, one per line, in this order):
//   vendor, architecture, device, description  — adapter.info; on Vulkan `description` holds the
//                                                driver name and version ("SwiftShader driver
//                                                5.0.0", "NVIDIA 550.54.14"), so a driver update
//                                                changes the fingerprint;
//   subgroupMinSize, subgroupMaxSize           — adapter.info where Dawn reports them;
//   kind                                       — hardware or swiftshader;
//   dawn                                       — the version of the `webgpu` package (it pins
//                                                Dawn, whose shader compiler shapes the code run).
// Limits and features are left out: they follow from the above, and a change in what freight
// requests must not orphan the records of the same device.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface AdapterIdentity {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly subgroupMinSize?: number;
  readonly subgroupMaxSize?: number;
}

let dawnVersion: string | undefined;

/** The version of the `webgpu` package (which pins the Dawn build), or 'unknown'. */
export function webgpuPackageVersion(): string {
  if (dawnVersion === undefined) {
    try {
      const require = createRequire(import.meta.url);
      const pkg = JSON.parse(readFileSync(require.resolve('webgpu/package.json'), 'utf8')) as { version?: string };
      dawnVersion = pkg.version ?? 'unknown';
    } catch {
      dawnVersion = 'unknown';
    }
  }
  return dawnVersion;
}

/** The lines hashed into the fingerprint, exposed so that `freight device` can show them. */
export function fingerprintFields(id: AdapterIdentity, kind: string): readonly string[] {
  return [
    `vendor=${id.vendor}`,
    `architecture=${id.architecture}`,
    `device=${id.device}`,
    `description=${id.description}`,
    `subgroupMinSize=${id.subgroupMinSize ?? ''}`,
    `subgroupMaxSize=${id.subgroupMaxSize ?? ''}`,
    `kind=${kind}`,
    `dawn=webgpu@${webgpuPackageVersion()}`,
  ];
}

/** sha256 (hex) of fingerprintFields joined by newlines. */
export function deviceFingerprint(id: AdapterIdentity, kind: string): string {
  return createHash('sha256').update(fingerprintFields(id, kind).join('\n')).digest('hex');
}

/** A short name for tables and file names, e.g. "nvidia-ampere" or "google-swiftshader". */
export function deviceName(id: AdapterIdentity): string {
  const parts = [id.vendor, id.architecture].filter((s) => s.length > 0);
  const raw = parts.length > 0 ? parts.join('-') : id.description || 'unknown';
  return raw.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'unknown';
}
