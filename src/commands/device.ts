// `freight device [--device NAME] [--json]`: opens the device freight would use and prints its
// identity, fingerprint, limits, features and measured profile (kernels/profile).

import type { Command } from 'commander';
import { openDevice } from '../../kernels/gpu/device.js';
import { formatProfile, profileDevice, type DeviceProfile } from '../../kernels/profile/index.js';

export interface DeviceCommandOptions {
  /** 'auto', 'swiftshader', or a substring of the adapter's description or vendor. */
  readonly device?: string;
  readonly warn?: (message: string) => void;
}

export async function deviceProfile(options: DeviceCommandOptions = {}): Promise<DeviceProfile> {
  const gpu = await openDevice({ device: options.device, warn: options.warn });
  return profileDevice(gpu);
}

function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function registerDeviceCommand(program: Command): void {
  program.command('device')
    .description('describe and measure the WebGPU device: fingerprint, bandwidth, FMA rate, dispatch overhead, limits')
    .option('--device <NAME>', "'auto', 'swiftshader', or part of the adapter's description or vendor", 'auto')
    .option('--json', 'print JSON to stdout')
    .action(async (opts: { device: string; json?: boolean }) => {
      const profile = await deviceProfile({ device: opts.device, warn: (m) => process.stderr.write(`freight: warning: ${m}\n`) });
      write(opts.json ? JSON.stringify(profile, null, 2) : formatProfile(profile));
    });
}
