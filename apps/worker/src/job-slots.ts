/**
 * The jobs a worker process runs at once (WORKER_CONCURRENCY), across all its queues: each queue's
 * BullMQ worker may take that many, and a job waits here for a free slot before it runs.
 */
export class JobSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  get inUse(): number {
    return this.running;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next job; `running` stays the same.
      if (next) next();
      else this.running -= 1;
    }
  }
}
