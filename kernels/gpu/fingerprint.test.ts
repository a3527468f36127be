import { describe, expect, it } from 'vitest';
import { deviceFingerprint, deviceName, fingerprintFields } from './fingerprint.js';

const swiftshader = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', subgroupMinSize: 4, subgroupMaxSize: 4 };

describe('deviceFingerprint', () => {
  it('is a stable sha256 of the identity, and changes with the driver', () => {
    const a = deviceFingerprint(swiftshader, 'swiftshader');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(deviceFingerprint({ ...swiftshader }, 'swiftshader')).toBe(a);
    expect(deviceFingerprint({ ...swiftshader, description: 'SwiftShader driver 5.0.1' }, 'swiftshader')).not.toBe(a);
    expect(deviceFingerprint(swiftshader, 'hardware')).not.toBe(a);
    expect(fingerprintFields(swiftshader, 'swiftshader')).toContain('description=SwiftShader driver 5.0.0');
  });

  it('names devices readably', () => {
    expect(deviceName(swiftshader)).toBe('google-swiftshader');
    expect(deviceName({ vendor: 'NVIDIA', architecture: '', device: '', description: '' })).toBe('nvidia');
    expect(deviceName({ vendor: '', architecture: '', device: '', description: 'Some GPU (R) 9' })).toBe('some-gpu-r-9');
  });
});
