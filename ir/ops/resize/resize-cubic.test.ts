import { describe, it } from 'vitest';
import { checkOp, f } from '../../testing/check-op.js';
import { COORDINATE_MODES } from './attrs.js';
import { CROP_ROI, input, resizeCase, SHAPE_CASES } from './test-cases.js';

describe('Resize cubic', () => {
  for (const coordinate of COORDINATE_MODES) {
    for (const sc of SHAPE_CASES) {
      it(`bicubic, ${coordinate}, ${sc.name}`, async () => {
        const crop = coordinate === 'tf_crop_and_resize';
        await checkOp(resizeCase(input(sc.shape), {
          mode: 'cubic', coordinate_transformation_mode: coordinate, ...(crop ? { extrapolation_value: f(0.5) } : {}),
        }, { ...sc, roi: crop ? CROP_ROI : undefined }));
      });
    }
  }

  it('takes cubic_coeff_a', async () => {
    await checkOp(resizeCase(input([1, 2, 5, 6]), { mode: 'cubic', cubic_coeff_a: f(-0.5) }, { sizes: [1, 2, 8, 4] }));
  });

  it('renormalizes the weights inside the input with exclude_outside', async () => {
    await checkOp(resizeCase(input([1, 2, 5, 6]), { mode: 'cubic', exclude_outside: 1 }, { scales: [1, 1, 2, 0.5] }));
    await checkOp(resizeCase(input([1, 1, 4, 7]), { mode: 'cubic', exclude_outside: 1, coordinate_transformation_mode: 'asymmetric' }, { sizes: [1, 1, 9, 5] }));
  });

  it('resizes a 2-D tensor', async () => {
    await checkOp(resizeCase(input([6, 5]), { mode: 'cubic', coordinate_transformation_mode: 'align_corners' }, { sizes: [4, 11] }));
  });
});
