import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MipModel, MipResult, MipSolveOptions, MipSolver } from '../mip';
import type { FromHighsThread, ToHighsThread } from './protocol';

/**
 * Past the time limit HiGHS is asked to stop (its own limit and an interrupt callback); if it has
 * not answered this much later (presolve and single LP iterations cannot be interrupted), the
 * thread is terminated.
 */
const DEFAULT_GRACE_MS = 100;

export interface HighsSolverOptions {
  /** How long past the time limit to wait for HiGHS before terminating its thread. */
  readonly graceMs?: number;
}

interface Pending {
  readonly id: number;
  readonly model: MipModel;
  readonly startedAt: number;
  best: { objective: number; solution: Float64Array } | null;
  bound: number | null;
  readonly settle: (result: MipResult) => void;
}

/**
 * The MipSolver port implemented by HiGHS (the `highs` package: WebAssembly, single-threaded)
 * in a worker thread of its own. The time limit is hard: HiGHS's own limit is not (it checks the
 * clock only now and then), so at the limit plus a short grace the thread is terminated and the
 * best solution and bound reported so far are returned with status 'time-limit'. The thread is
 * kept for the next solve and restarted after a termination; one solve runs at a time, further
 * calls wait their turn (their time limit starts when they are called). `close()` ends the thread.
 */
export class HighsSolver implements MipSolver {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly graceMs: number;

  constructor(options: HighsSolverOptions = {}) {
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  }

  /** Starts the thread and loads HiGHS ahead of the first solve (it takes a few hundred ms). */
  warmUp(): Promise<void> {
    return this.started().ready ?? Promise.resolve();
  }

  solve(model: MipModel, options: MipSolveOptions): Promise<MipResult> {
    const startedAt = Date.now();
    const deadline = startedAt + Math.max(0, options.timeLimitMs);
    const run = this.queue.then(() => this.run(model, options, startedAt, deadline));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Terminates the thread; a later solve starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker) await worker.terminate();
  }

  private run(
    model: MipModel,
    options: MipSolveOptions,
    startedAt: number,
    deadline: number,
  ): Promise<MipResult> {
    return new Promise<MipResult>((resolve) => {
      if (Date.now() >= deadline) {
        resolve(limitResult(model, startedAt, null, null, 'no time left'));
        return;
      }
      const { worker } = this.started();
      worker.ref();
      const id = this.nextId++;
      const pending: Pending = {
        id,
        model,
        startedAt,
        best: null,
        bound: null,
        settle: (result) => {
          clearTimeout(timer);
          this.pending = null;
          this.worker?.unref();
          resolve(result);
        },
      };
      this.pending = pending;
      const timer = setTimeout(
        () => {
          if (this.pending !== pending) return;
          // HiGHS did not stop in time: kill the thread, answer with what it reported so far.
          const { best, bound } = pending;
          void this.close();
          pending.settle(limitResult(model, startedAt, best, bound, 'terminated at the time limit'));
        },
        deadline - Date.now() + this.graceMs,
      );
      const message: ToHighsThread = { type: 'solve', id, model, options, deadline };
      worker.postMessage(message);
    });
  }

  private started(): { worker: Worker; ready: Promise<void> | null } {
    if (this.worker) return { worker: this.worker, ready: this.ready };
    const worker = new Worker(threadEntry(), { eval: true });
    worker.unref();
    this.worker = worker;
    let markReady: () => void = () => undefined;
    this.ready = new Promise<void>((resolve) => (markReady = resolve));
    worker.on('message', (message: FromHighsThread) => {
      if (this.worker !== worker) return;
      if (message.type === 'ready') {
        markReady();
        return;
      }
      const pending = this.pending;
      if (!pending || message.id !== pending.id) return;
      switch (message.type) {
        case 'incumbent':
          pending.best = { objective: message.objective, solution: message.solution };
          return;
        case 'bound':
          pending.bound = message.bound;
          return;
        case 'done':
          pending.settle({ ...message.result, elapsedMs: Date.now() - pending.startedAt });
          return;
        case 'failed':
          pending.settle(errorResult(pending, message.message));
          return;
      }
    });
    const lost = (reason: string): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.ready = null;
      markReady();
      this.pending?.settle(errorResult(this.pending, reason));
    };
    worker.on('error', (error) => lost(`HiGHS thread failed: ${error.message}`));
    worker.on('exit', (code) => lost(`HiGHS thread exited with code ${code}`));
    const warmUp: ToHighsThread = { type: 'warm-up' };
    worker.postMessage(warmUp);
    return { worker, ready: this.ready };
  }
}

function limitResult(
  model: MipModel,
  startedAt: number,
  best: Pending['best'],
  bound: number | null,
  message: string,
): MipResult {
  const integral = !!model.integrality?.some((v) => v === 1);
  return {
    status: 'time-limit',
    objective: best?.objective ?? null,
    solution: best?.solution ?? null,
    bound: integral ? bound : null,
    elapsedMs: Date.now() - startedAt,
    message,
  };
}

function errorResult(pending: Pending, message: string): MipResult {
  return {
    status: 'error',
    objective: pending.best?.objective ?? null,
    solution: pending.best?.solution ?? null,
    bound: pending.bound,
    elapsedMs: Date.now() - pending.startedAt,
    message,
  };
}

/**
 * Code of the worker: the compiled thread next to this file, or, when running from TypeScript
 * sources (tests, benchmarks), the .ts file through ts-node.
 */
function threadEntry(): string {
  const compiled = path.join(__dirname, 'highs.thread.js');
  if (fs.existsSync(compiled)) return `require(${JSON.stringify(compiled)});`;
  const source = path.join(__dirname, 'highs.thread.ts');
  return `require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(source)});`;
}
