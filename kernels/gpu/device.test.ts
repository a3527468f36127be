import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hardwareDriverManifests, SWIFTSHADER_ICD } from './device.js';

/** A folder of driver manifests named `names`; returns the path of the folder and of each manifest. */
function icdFolder(root: string, folder: string, names: readonly string[]): [string, ...string[]] {
  const path = join(root, folder);
  mkdirSync(path, { recursive: true });
  for (const name of names) writeFileSync(join(path, name), '{}');
  return [path, ...names.map((name) => join(path, name))];
}

describe('hardwareDriverManifests', () => {
  const root = mkdtempSync(join(tmpdir(), 'freight-icd-'));
  const home = join(root, 'home');
  const data = join(root, 'data');
  const config = join(root, 'config');
  const [, nvidia] = icdFolder(data, 'vulkan/icd.d', ['nvidia_icd.json', 'vk_swiftshader_icd.json', 'README']);
  const [, radeon] = icdFolder(config, 'vulkan/icd.d', ['radeon_icd.x86_64.json']);
  const [empty] = icdFolder(root, 'empty', []);
  const [added, intel] = icdFolder(root, 'added', ['intel_icd.json']);

  it('searches the XDG folders as the Vulkan loader does, SwiftShader excepted', () => {
    const found = hardwareDriverManifests({ HOME: home, XDG_DATA_DIRS: data, XDG_CONFIG_DIRS: config });
    expect(found).toEqual(expect.arrayContaining([nvidia, radeon]));
    expect(found.filter((m) => m.startsWith(root))).toHaveLength(2);
  });

  it('takes only the drivers VK_DRIVER_FILES or VK_ICD_FILENAMES names, files or folders, plus VK_ADD_DRIVER_FILES', () => {
    expect(hardwareDriverManifests({ HOME: home, XDG_DATA_DIRS: data, VK_ICD_FILENAMES: SWIFTSHADER_ICD })).toEqual([]);
    expect(hardwareDriverManifests({ HOME: home, XDG_DATA_DIRS: data, VK_DRIVER_FILES: `${empty}:${join(root, 'missing.json')}` })).toEqual([]);
    expect(hardwareDriverManifests({ HOME: home, XDG_DATA_DIRS: data, VK_ICD_FILENAMES: added })).toEqual([intel]);
    // VK_DRIVER_FILES wins over VK_ICD_FILENAMES.
    expect(hardwareDriverManifests({ HOME: home, VK_DRIVER_FILES: empty, VK_ICD_FILENAMES: added })).toEqual([]);
    expect(hardwareDriverManifests({ HOME: home, VK_DRIVER_FILES: empty, VK_ADD_DRIVER_FILES: intel })).toEqual([intel]);
  });
});
