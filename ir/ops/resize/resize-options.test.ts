import { describe, expect, it } from 'vitest';
import { checkOp, f } from '../../testing/check-op.js';
import { tensorOf } from '../../tensor.js';
import { input, resizeCase } from './test-cases.js';

describe('Resize options', () => {
  it('resizes only the axes listed in axes', async () => {
    await checkOp(resizeCase(input([1, 2, 5, 5]), { mode: 'linear', axes: [2, 3] }, { scales: [2, 0.5] }));
    await checkOp(resizeCase(input([1, 2, 5, 5]), { mode: 'nearest', axes: [-1] }, { sizes: [7] }));
    await checkOp(resizeCase(input([1, 2, 5, 6]), { mode: 'nearest', axes: [3, 2] }, { sizes: [3, 8] }));
  });

  for (const policy of ['stretch', 'not_larger', 'not_smaller']) {
    it(`keeps the aspect ratio with keep_aspect_ratio_policy ${policy}`, async () => {
      const { ort } = await checkOp(resizeCase(input([1, 2, 4, 6]), { mode: 'linear', axes: [2, 3], keep_aspect_ratio_policy: policy }, { sizes: [7, 7] }));
      // Scales 7/4 and 7/6: the smaller or the larger for both axes, lengths rounded half away from 0.
      const expected = { stretch: [1, 2, 7, 7], not_larger: [1, 2, 5, 7], not_smaller: [1, 2, 7, 11] }[policy];
      expect(ort[0].shape).toEqual(expected);
    });
  }

  it('applies keep_aspect_ratio_policy over every axis when axes is absent', async () => {
    await checkOp(resizeCase(input([1, 2, 3, 4]), { mode: 'nearest', keep_aspect_ratio_policy: 'not_smaller' }, { sizes: [1, 2, 6, 6] }));
  });

  it('crops the roi and extrapolates outside the input with tf_crop_and_resize', async () => {
    for (const mode of ['nearest', 'linear', 'cubic']) {
      await checkOp(resizeCase(input([1, 2, 6, 5]), { mode, coordinate_transformation_mode: 'tf_crop_and_resize', extrapolation_value: f(10) },
        { roi: [0, 0, 0.2, -0.3, 1, 1, 0.7, 1.25], sizes: [1, 2, 4, 9] }));
    }
  });

  it('reads a roi given for the listed axes only', async () => {
    await checkOp(resizeCase(input([1, 2, 6, 5]), { mode: 'linear', coordinate_transformation_mode: 'tf_crop_and_resize', axes: [2, 3] },
      { roi: [0.1, 0.4, 0.9, 0.8], scales: [1.5, 2] }));
  });

  it('sizes the output as float32(in · scale), truncated: 5 · 1.4 gives 7', async () => {
    const { loop } = await checkOp(resizeCase(input([1, 1, 5, 5]), { mode: 'nearest' }, { scales: [1, 1, 1.4, 1.4] }));
    expect(loop[0].shape).toEqual([1, 1, 7, 7]);
  });

  it('copies the input when the output shape equals the input shape, as ONNX Runtime does', async () => {
    await checkOp(resizeCase(input([1, 2, 5, 5]), { mode: 'linear' }, { scales: [1, 1, 1.1, 1.1] }));
    await checkOp(resizeCase(input([1, 2, 5, 5]), { mode: 'linear', coordinate_transformation_mode: 'tf_crop_and_resize' },
      { roi: [0, 0, 0.2, 0.2, 1, 1, 0.8, 0.8], sizes: [1, 2, 5, 5] }));
  });

  it('maps an axis with scale 1 one-to-one, whatever the coordinate mode', async () => {
    await checkOp(resizeCase(input([1, 2, 4, 5]), { mode: 'nearest', coordinate_transformation_mode: 'tf_half_pixel_for_nn', nearest_mode: 'ceil' }, { scales: [1, 1, 2, 1] }));
  });

  it('takes an empty scales tensor as omitted', async () => {
    const c = resizeCase(input([1, 2, 4, 5]), { mode: 'linear' }, { sizes: [1, 2, 7, 3] });
    await checkOp({ ...c, inputs: [c.inputs[0], null, { constant: tensorOf('float32', [0], []) }, c.inputs[3]] });
  });

  it('handles axes of length 1 on either side', async () => {
    for (const coordinate of ['pytorch_half_pixel', 'align_corners', 'tf_crop_and_resize', 'half_pixel_symmetric']) {
      for (const mode of ['nearest', 'linear', 'cubic']) {
        await checkOp(resizeCase(input([1, 1, 1, 5]), { mode, coordinate_transformation_mode: coordinate }, { sizes: [1, 1, 3, 1] }));
        await checkOp(resizeCase(input([1, 1, 4, 5]), { mode, coordinate_transformation_mode: coordinate }, { sizes: [1, 1, 1, 1] }));
      }
    }
  });

  it('gives an empty output when a scale leaves no element', async () => {
    const { loop } = await checkOp(resizeCase(input([1, 1, 5, 5]), { mode: 'linear', antialias: 1 }, { scales: [1, 1, 0.1, 0.5] }));
    expect(loop[0].shape).toEqual([1, 1, 0, 2]);
  });
});
