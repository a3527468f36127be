import { describe, it } from 'vitest';
import { checkOp, f } from '../../testing/check-op.js';
import { COORDINATE_MODES } from './attrs.js';
import { CROP_ROI, input, resizeCase, SHAPE_CASES } from './test-cases.js';

describe('Resize linear', () => {
  for (const coordinate of COORDINATE_MODES) {
    for (const sc of SHAPE_CASES) {
      it(`bilinear, ${coordinate}, ${sc.name}`, async () => {
        const crop = coordinate === 'tf_crop_and_resize';
        await checkOp(resizeCase(input(sc.shape), {
          mode: 'linear', coordinate_transformation_mode: coordinate, ...(crop ? { extrapolation_value: f(-3.25) } : {}),
        }, { ...sc, roi: crop ? CROP_ROI : undefined }));
      });
    }
  }

  it('interpolates the last axis of a 3-D tensor', async () => {
    await checkOp(resizeCase(input([2, 3, 5]), { mode: 'linear' }, { scales: [1, 1, 2] }));
    await checkOp(resizeCase(input([2, 3, 7]), { mode: 'linear', coordinate_transformation_mode: 'align_corners' }, { sizes: [2, 3, 5] }));
  });

  it('is trilinear over three resized axes', async () => {
    await checkOp(resizeCase(input([3, 4, 5]), { mode: 'linear' }, { scales: [2, 0.5, 1.5] }));
    await checkOp(resizeCase(input([1, 2, 3, 4, 5]), { mode: 'linear', coordinate_transformation_mode: 'asymmetric' }, { sizes: [1, 2, 5, 3, 7] }));
  });

  it('resizes a 2-D tensor and an NHWC layout', async () => {
    await checkOp(resizeCase(input([5, 6]), { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' }, { sizes: [1, 9] }));
    await checkOp(resizeCase(input([1, 5, 5, 3]), { mode: 'linear' }, { scales: [1, 2, 0.5, 1] }));
  });
});
