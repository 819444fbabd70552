import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExactCheck, Figures, Finding, InvestmentDetail, NothingFound, Proposal } from '../pool';
import type { PortablePoolModel } from './portable-model';

export interface PoolSolverResult {
  findings: Finding[];
  /** Per type and week, and per resource. */
  figures: Figures;
  proposals: Proposal[];
  /** Exact checks of subproblems (HiGHS): served, bound on servable requests, optimality. */
  exact: ExactCheck[];
  /** Proposal runs that propose nothing: why. */
  nothingFound: NothingFound | null;
  /** Where demand exceeds capacity for good: buy or lease, how many, cost per member. */
  investments: InvestmentDetail[];
}

/**
 * Beyond the solver's own limit: starting the thread (from TypeScript sources it compiles itself),
 * the diagnosis and figures before the search, and handing the result back. The solver keeps its
 * limit; this only stops a thread that hangs.
 */
const STARTUP_GRACE_MS = 60_000;

export class SolverTimeout extends Error {
  override name = 'SolverTimeout';
}

/**
 * Runs diagnosis (and proposals) in a worker thread, so a long search never blocks the event loop
 * of the process it runs in; the time limit is hard: past it (plus a grace period) the thread is
 * terminated. From TypeScript sources (tests) the thread compiles itself with ts-node.
 */
export function runPoolSolver(
  model: PortablePoolModel,
  options: {
    withProposals: boolean;
    seed: number;
    timeLimitMs: number;
    /** The thread's old-generation heap in MB (unlimited when absent). */
    heapMb?: number;
    onProgress?: (percent: number) => void;
  },
): Promise<PoolSolverResult> {
  const compiled = path.join(__dirname, 'pool-solver.thread.js');
  const entry = fs.existsSync(compiled) ? compiled : path.join(__dirname, 'pool-solver.thread.ts');
  const code = entry.endsWith('.ts')
    ? `require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(entry)});`
    : `require(${JSON.stringify(entry)});`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, {
      eval: true,
      // V8 grows an idle-CPU thread's heap lazily (530 MB of worker RSS at region size without a
      // cap, 400 MB with 256 MB): the cap makes it collect instead.
      ...(options.heapMb ? { resourceLimits: { maxOldGenerationSizeMb: options.heapMb } } : {}),
      workerData: {
        model,
        withProposals: options.withProposals,
        seed: options.seed,
        timeLimitMs: options.timeLimitMs,
      },
    });
    const hardLimit = setTimeout(() => {
      void worker.terminate();
      reject(
        new SolverTimeout(`The solver did not finish within ${options.timeLimitMs} ms and was stopped.`),
      );
    }, options.timeLimitMs + STARTUP_GRACE_MS);
    worker.on(
      'message',
      (m: { type: 'progress'; progress: number } | ({ type: 'result' } & PoolSolverResult)) => {
        if (m.type === 'progress') options.onProgress?.(m.progress);
        else {
          clearTimeout(hardLimit);
          const { type: _type, ...result } = m;
          resolve(result);
          void worker.terminate();
        }
      },
    );
    worker.on('error', (e) => {
      clearTimeout(hardLimit);
      reject(
        (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Error(
              `the solver needed more than its ${options.heapMb} MB of heap; raise ALLMENDE_SOLVER_HEAP_MB or plan a shorter period`,
            )
          : e,
      );
    });
    worker.on('exit', (code) => {
      clearTimeout(hardLimit);
      if (code !== 0) reject(new Error(`the solver thread exited with code ${code}`));
    });
  });
}
