import { parentPort, workerData } from 'node:worker_threads';
import { HighsSolver } from '../highs';
import { computeFigures, diagnose, proposeWithExact, recommendInvestments } from '../pool';
import { fromPortable, PortablePoolModel } from './portable-model';
import type { PoolSolverResult } from './run-pool-solver';

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
const figures = computeFigures(model, { perResource: true });
parentPort?.postMessage({ type: 'progress', progress: 30 });

function send(result: PoolSolverResult): void {
  parentPort?.postMessage({ type: 'result', ...result });
}

async function main(): Promise<void> {
  if (!input.withProposals) {
    // A diagnosis also says where buying or leasing would help, within a part of its time.
    const investments = recommendInvestments(model, {
      seed: input.seed,
      deadline: Date.now() + input.timeLimitMs,
      now: Date.now,
    });
    send({ findings, figures, proposals: [], exact: [], nothingFound: null, investments });
    return;
  }
  // HiGHS runs in a thread of its own (terminable at its limit); it ends with this thread.
  const highs = new HighsSolver();
  try {
    const { proposals, exact, nothingFound } = await proposeWithExact(
      model,
      { seed: input.seed, timeLimitMs: input.timeLimitMs },
      highs,
    );
    const investments = proposals.flatMap((p) => (p.investment ? [p.investment] : []));
    send({ findings, figures, proposals, exact, nothingFound, investments });
  } finally {
    await highs.close();
  }
}

void main();
