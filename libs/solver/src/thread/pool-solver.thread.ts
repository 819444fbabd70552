import { parentPort, workerData } from 'node:worker_threads';
import { HighsSolver } from '../highs';
import { diagnose, proposeWithExact } from '../pool';
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

async function main(): Promise<void> {
  if (!input.withProposals) {
    parentPort?.postMessage({ type: 'result', findings, proposals: [], exact: [] });
    return;
  }
  // HiGHS runs in a thread of its own (terminable at its limit); it ends with this thread.
  const highs = new HighsSolver();
  try {
    const { proposals, exact } = await proposeWithExact(
      model,
      { seed: input.seed, timeLimitMs: input.timeLimitMs },
      highs,
    );
    parentPort?.postMessage({ type: 'result', findings, proposals, exact });
  } finally {
    await highs.close();
  }
}

void main();
