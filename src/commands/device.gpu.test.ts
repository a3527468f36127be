import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerDeviceCommand } from './device.js';

describe('freight device', () => {
  it('registers the command and refuses an unknown --device with what it found', async () => {
    const program = new Command('freight').exitOverride();
    registerDeviceCommand(program);
    expect(program.commands.map((c) => c.name())).toContain('device');
    await expect(program.parseAsync(['device', '--device', 'no-such-gpu-xyz', '--json'], { from: 'user' })).rejects.toThrow(/found: /);
  });
});
