// The measurement process that isolated-measurer.ts forks: it opens its own device and measures
// the KernelSpecs its parent sends, one at a time, with the steps of measure-steps.ts. It keeps no
// time itself: it announces each step and the parent, which can kill it, enforces the limits.

import { openDevice, type GpuDevice } from '../gpu/device.js';
import type { FromChild, ToChild } from './child-protocol.js';
import type { Verdict } from './measure-result.js';
import { errorMessage, measureSteps, prepareSpec, settle, type Guard, type MeasureOptions } from './measure-steps.js';

const send = (message: FromChild): void => { process.send!(message); };

let gpu: GpuDevice | undefined;
let verdictArrived: ((verdict: Verdict) => void) | undefined;

// Without a parent nobody will ever kill this process. SIGKILL rather than exit(): exiting runs
// Dawn's destructors, which wait for a kernel that may never end.
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));

const announce: Guard = (phase, work) => {
  send({ kind: 'phase', phase });
  return settle(work());
};

/** Sends the outputs to the parent and waits for its verdict. */
function verifyInParent(outputs: readonly ArrayBuffer[]): Promise<Verdict> {
  return new Promise((resolve) => {
    verdictArrived = resolve;
    send({ kind: 'outputs', outputs });
  });
}

process.on('message', (message: ToChild) => {
  switch (message.kind) {
    case 'open':
      openDevice({ device: message.device, warn: (m) => send({ kind: 'warn', message: m }) }).then((opened) => {
        gpu = opened;
        opened.lost.then((info) => send({ kind: 'lost', message: `${info.reason}: ${info.message}` }));
        send({ kind: 'ready', device: { kind: opened.kind, name: opened.name, fingerprint: opened.fingerprint, pinned: opened.options.device ?? 'auto' } });
      }, (e: unknown) => send({ kind: 'open-failed', message: errorMessage(e) }));
      break;
    case 'measure': {
      const options: MeasureOptions = { ...message.options, verify: message.options.verify ? verifyInParent : undefined };
      const { spec } = message;
      measureSteps(gpu!, (g) => prepareSpec(g, spec), options, announce).then((result) => send({ kind: 'result', result }));
      break;
    }
    case 'verdict':
      verdictArrived?.(message.verdict);
      verdictArrived = undefined;
      break;
  }
});
