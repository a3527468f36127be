import { describe, it } from 'vitest';
import { checkOp } from '../../testing/check-op.js';
import { COORDINATE_MODES } from './attrs.js';
import { input, resizeCase, SHAPE_CASES } from './test-cases.js';

describe('Resize with antialias', () => {
  for (const mode of ['linear', 'cubic']) {
    for (const coordinate of COORDINATE_MODES.filter((m) => m !== 'tf_crop_and_resize')) {
      for (const sc of SHAPE_CASES) {
        it(`${mode}, ${coordinate}, ${sc.name}`, async () => {
          await checkOp(resizeCase(input(sc.shape), { mode, antialias: 1, coordinate_transformation_mode: coordinate }, sc));
        });
      }
    }
  }

  it('widens the filter to several input pixels when downsampling a lot', async () => {
    await checkOp(resizeCase(input([1, 2, 12, 17]), { mode: 'linear', antialias: 1 }, { sizes: [1, 2, 3, 4] }));
    await checkOp(resizeCase(input([1, 2, 12, 17]), { mode: 'cubic', antialias: 1 }, { scales: [1, 1, 0.3, 0.2] }));
  });

  it('drops the taps outside the input with exclude_outside', async () => {
    await checkOp(resizeCase(input([1, 2, 9, 10]), { mode: 'linear', antialias: 1, exclude_outside: 1 }, { sizes: [1, 2, 4, 3] }));
    await checkOp(resizeCase(input([1, 2, 9, 10]), { mode: 'cubic', antialias: 1, exclude_outside: 1 }, { scales: [1, 1, 0.5, 1.5] }));
  });

  it('filters the last axis of a 3-D tensor', async () => {
    await checkOp(resizeCase(input([2, 2, 11]), { mode: 'linear', antialias: 1 }, { scales: [1, 1, 0.4] }));
  });
});
