// Measures candidate kernels in a child process (measure-child.ts) that owns its own device, so
// that a kernel that never finishes can be stopped: the only way to stop a kernel on SwiftShader,
// whose worker threads it keeps busy, is to kill the process. The parent keeps every time limit;
// on a timeout it kills the child (SIGKILL) and starts a fresh one for the next candidate, as it
// does when the child loses its device or dies. Results are the in-process measurer's
// (measurer.ts says when to use which); the caller's verify function runs here, on the outputs
// the child sends back.

import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FreightError } from '../../ir/errors.js';
import type { ChildDevice, FromChild, ToChild } from './child-protocol.js';
import type { KernelSpec } from './kernel-spec.js';
import { failure, type MeasureResult } from './measure-result.js';
import { phaseLimitMs, timeoutDetail, type MeasureOptions } from './measure-steps.js';

export interface IsolatedMeasurerOptions {
  /** As openDevice's: 'auto' (default), 'swiftshader', or part of an adapter's description. */
  readonly device?: string;
  /** Called with warnings for the user, as openDevice's. */
  readonly warn?: (message: string) => void;
  /** Time limit for building a candidate (SwiftShader's compiler can stall for minutes). Default 60 s. */
  readonly compileLimitMs?: number;
}

export interface IsolatedMeasurer {
  /** The device every measurement process opens. */
  readonly device: ChildDevice;
  /** The current measurement process, for diagnostics. */
  readonly pid: number | undefined;
  /** Measures one candidate; calls that overlap run one after another. */
  measure(spec: KernelSpec, options?: MeasureOptions): Promise<MeasureResult>;
  /** Kills the measurement process. */
  close(): void;
}

interface Child {
  readonly proc: ChildProcess;
  /** The device it opened, or why it could not. */
  readonly ready: Promise<ChildDevice | string>;
}

type Outcome = { readonly result: MeasureResult; readonly keep: boolean } | { readonly thrown: unknown };

/** Under tsx (tests, a development checkout) the child runs from its TypeScript source, as bin/freight.js does. */
function childCommand(): { path: string; execArgv: string[] } {
  const typescript = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(typescript ? './measure-child.ts' : './measure-child.js', import.meta.url));
  const tsx = typescript ? pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href : undefined;
  return { path, execArgv: tsx ? ['--import', tsx] : [] };
}

/** While `work` runs the child keeps this process alive; when idle it does not, so a forgotten close() cannot hang it. */
async function holding<T>(child: Child, work: Promise<T>): Promise<T> {
  child.proc.ref();
  child.proc.channel?.ref();
  try {
    return await work;
  } finally {
    child.proc.unref();
    child.proc.channel?.unref();
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

function spawnChild(device: string, warn: ((message: string) => void) | undefined): Child {
  const { path, execArgv } = childCommand();
  // The child's stdout goes to our stderr: stdout carries freight's data.
  const proc = fork(path, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 2, 2, 'ipc'] });
  proc.on('message', (m: FromChild) => {
    if (m.kind === 'warn') warn?.(m.message);
    // A lost device is not coming back: end the child now, whether it is measuring or idle.
    if (m.kind === 'lost') proc.kill('SIGKILL');
  });
  const ready = new Promise<ChildDevice | string>((resolve) => {
    proc.on('message', (m: FromChild) => {
      if (m.kind === 'ready') resolve(m.device);
      if (m.kind === 'open-failed') resolve(m.message);
    });
    proc.on('exit', (code, signal) => resolve(`the measurement process ended (${describeExit(code, signal)}) before opening a device`));
    // A child that cannot be started also ends with 'exit'.
    proc.on('error', () => {});
  });
  proc.send({ kind: 'open', device } satisfies ToChild);
  proc.unref();
  proc.channel?.unref();
  return { proc, ready };
}

/** Measures one candidate on a ready child, keeping the time limit of each step the child announces. */
function measureOn(child: Child, spec: KernelSpec, options: MeasureOptions, compileLimitMs: number): Promise<Outcome> {
  const { proc } = child;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const end = (outcome: Outcome): void => {
      clearTimeout(timer);
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      resolve(outcome);
    };
    const onMessage = (m: FromChild): void => {
      switch (m.kind) {
        case 'phase': {
          const limitMs = m.phase === 'compile' ? compileLimitMs : phaseLimitMs(m.phase, options);
          clearTimeout(timer);
          timer = setTimeout(() => end({ result: failure('timeout', timeoutDetail(m.phase, limitMs)), keep: false }), limitMs);
          break;
        }
        case 'outputs':
          // The child waits for the verdict; its time is not the candidate's.
          clearTimeout(timer);
          Promise.resolve(m.outputs).then(options.verify!).then(
            // A child that died meanwhile ends the measurement through 'exit'.
            (verdict) => { if (proc.connected) proc.send({ kind: 'verdict', verdict } satisfies ToChild); },
            (thrown: unknown) => end({ thrown }),
          );
          break;
        case 'result':
          end({ result: m.result, keep: true });
          break;
        case 'lost':
          end({ result: failure('device-lost', m.message), keep: false });
          break;
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      end({ result: failure('runtime', `the measurement process died (${describeExit(code, signal)}) while measuring`), keep: false });
    };
    proc.on('message', onMessage);
    proc.on('exit', onExit);
    const { verify, ...rest } = options;
    proc.send({ kind: 'measure', spec, options: { ...rest, verify: verify !== undefined } } satisfies ToChild);
  });
}

/**
 * Starts a measurement process and waits until it has opened its device; throws a FreightError
 * when it cannot open one.
 */
export async function openIsolatedMeasurer(options: IsolatedMeasurerOptions = {}): Promise<IsolatedMeasurer> {
  const compileLimitMs = options.compileLimitMs ?? 60_000;
  let child = spawnChild(options.device ?? 'auto', options.warn);
  const opened = await holding(child, child.ready);
  if (typeof opened === 'string') {
    child.proc.kill('SIGKILL');
    throw new FreightError(`could not open a device for measuring: ${opened}`);
  }
  const device = opened;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  /** Kills the current child and starts the next one at once, so that its start overlaps the caller's work. */
  function replace(): void {
    child.proc.kill('SIGKILL');
    child = spawnChild(device.pinned, options.warn);
  }

  async function measureOne(spec: KernelSpec, measureOptions: MeasureOptions): Promise<MeasureResult> {
    if (closed) throw new Error('measure() after close() of an isolated measurer');
    if (!child.proc.connected) replace();
    const current = child;
    const reopened = await holding(current, current.ready);
    const unusable = typeof reopened === 'string' ? reopened
      : reopened.fingerprint !== device.fingerprint ? `it opened '${reopened.name}' instead of '${device.name}'`
        : current.proc.connected ? undefined : 'the measurement process ended after opening it';
    if (unusable !== undefined) {
      replace();
      return failure('device-lost', `could not reopen the device: ${unusable}`);
    }
    const outcome = await holding(current, measureOn(current, spec, measureOptions, compileLimitMs));
    if ('thrown' in outcome || !outcome.keep) replace();
    if ('thrown' in outcome) throw outcome.thrown;
    return outcome.result;
  }

  return {
    device,
    get pid() { return child.proc.pid; },
    measure(spec, measureOptions = {}) {
      const result = queue.then(() => measureOne(spec, measureOptions));
      queue = result.catch(() => {});
      return result;
    },
    close() {
      closed = true;
      child.proc.kill('SIGKILL');
    },
  };
}
