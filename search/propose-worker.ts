// A proposal worker thread of search/proposal-pool.ts: receives the run's tasks, target and cost
// profile once (piscina's workerData) and answers proposal requests. It never opens the database
// nor the GPU; the main thread owns both.

import { workerData } from 'piscina';
import { proposer, type ProposalRequest, type Proposal, type ProposerData } from './proposer.js';

const propose = proposer(workerData as ProposerData);

export default function proposeInWorker(r: ProposalRequest): Proposal[] {
  return propose(r);
}
