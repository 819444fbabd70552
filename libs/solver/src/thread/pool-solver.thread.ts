import { parentPort, workerData } from 'node:worker_threads';
import { diagnose, propose } from '../pool';
import { fromPortable, PortablePoolModel } from './portable-model';

/** Entry of the worker thread that runs the pool solver off the main event loop. */
interface ThreadInput {
  model: PortablePoolModel;
  withProposals: boolean;
  seed: number;
  timeLimitMs: number;
}

const input = workerData as ThreadInput;
const model = fromPortable(input.model);
const findings = diagnose(model);
parentPort?.postMessage({ type: 'progress', progress: input.withProposals ? 30 : 90 });
const proposals = input.withProposals
  ? propose(model, { seed: input.seed, timeLimitMs: input.timeLimitMs })
  : [];
parentPort?.postMessage({ type: 'result', findings, proposals });
