import { describe, it } from 'vitest';
import { checkOp, f } from '../../testing/check-op.js';
import { integers, rng } from '../../testing/random.js';
import { COORDINATE_MODES, NEAREST_MODES } from './attrs.js';
import { CROP_ROI, input, resizeCase, SHAPE_CASES } from './test-cases.js';

describe('Resize nearest', () => {
  for (const coordinate of COORDINATE_MODES) {
    for (const nearest of NEAREST_MODES) {
      for (const sc of SHAPE_CASES) {
        it(`${coordinate}, ${nearest}, ${sc.name}`, async () => {
          const crop = coordinate === 'tf_crop_and_resize';
          await checkOp(resizeCase(input(sc.shape), {
            mode: 'nearest', coordinate_transformation_mode: coordinate, nearest_mode: nearest,
            ...(crop ? { extrapolation_value: f(7.5) } : {}),
          }, { ...sc, roi: crop ? CROP_ROI : undefined }));
        });
      }
    }
  }

  it('moves int32 elements exactly', async () => {
    await checkOp(resizeCase(integers(rng(2), [1, 3, 4, 5], -1000, 1000, 'int32'), { mode: 'nearest' }, { scales: [1, 1, 1.5, 0.6] }));
  });

  it('resizes a 1-D tensor', async () => {
    await checkOp(resizeCase(input([6]), { mode: 'nearest', nearest_mode: 'ceil' }, { sizes: [11] }));
  });

  it('resizes the batch and channel axes too', async () => {
    await checkOp(resizeCase(input([2, 3, 2, 2]), { mode: 'nearest' }, { scales: [1.5, 0.7, 2, 1] }));
  });
});
