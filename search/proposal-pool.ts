// Where proposals are made: a piscina pool of worker threads, or the main thread alone (0
// workers). Answers do not depend on which thread gives them (search/proposer.ts), so the tuner
// may keep requests for several tasks in flight while it measures and still get, for the same
// seed and database, the same proposals whatever the number of workers or the order they finish.

import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { CostProfile } from '../cost-model/index.js';
import type { ScheduleTarget } from '../kernels/schedule.js';
import { proposer, proposerData, type Calibration, type Proposal, type ProposalRequest, type ProposalTask } from './proposer.js';

export interface ProposalPool {
  /** Worker threads; 0 answers on the main thread, when asked. */
  readonly workers: number;
  propose(r: ProposalRequest): Promise<Proposal[]>;
  /** Ends the workers; requests still in flight are rejected. */
  close(): Promise<void>;
}

/**
 * Workers lower their scheduling priority by this much (Linux), so that a measurement running
 * beside them on the CPU (SwiftShader, the host side of a dispatch) keeps its cores.
 */
const NICE = 10;

export function openProposalPool(
  tasks: readonly ProposalTask[], target: ScheduleTarget, profile: CostProfile, workers: number, calibration?: Calibration,
): ProposalPool {
  const data = proposerData(tasks, target, profile, calibration);
  if (workers === 0) {
    const propose = proposer(data);
    return { workers, propose: async (r) => propose(r), close: async () => {} };
  }
  // From the TypeScript sources (vitest, tsx) the worker is TypeScript too and needs tsx's loader;
  // from the compiled package it is the JavaScript beside this file.
  const fromSources = import.meta.url.endsWith('.ts');
  const pool = new Piscina<ProposalRequest, Proposal[]>({
    filename: fileURLToPath(new URL(`./propose-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url)),
    execArgv: fromSources ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [],
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Infinity,
    niceIncrement: NICE,
    workerData: data,
  });
  return { workers, propose: (r) => pool.run(r), close: () => pool.destroy() };
}
