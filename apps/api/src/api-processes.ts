import cluster, { Worker } from 'node:cluster';

/** A process that ends this soon after it started listening counts as failing to start. */
export const STARTUP_GRACE_MS = 10_000;

/**
 * When one API process could not start, the others are asked to end (SIGTERM) and killed if they
 * have not after this long: none of them has served, so there is nothing of theirs to finish.
 */
export const ABANDON_START_MS = 10_000;

/** One log line as pino writes them (30 info, 40 warn). */
function say(message: string, level = 40): void {
  process.stderr.write(
    `${JSON.stringify({ level, time: Date.now(), pid: process.pid, context: 'ApiProcesses', msg: message })}\n`,
  );
}

/**
 * ALLMENDE_API_PROCESSES > 1: this process only supervises. It forks that many API processes,
 * which share the port (Node's cluster hands each new connection to the next one); they keep no
 * state another would need (see README, "Several processes"). One that ends unexpectedly is
 * replaced; one that ends before it ever listened, or within STARTUP_GRACE_MS of that, means the
 * API cannot start, and the supervisor ends with its exit code (the others are ended, killed after
 * ABANDON_START_MS if need be). SIGTERM and SIGINT go to every API
 * process, which finish their requests; the supervisor ends when the last one has.
 */
export function superviseApiProcesses(count: number): void {
  const listeningSince = new Map<number, number>();
  let stopping = false;
  /** The exit code to end with: set when an API process could not start. */
  let failed = 0;
  const fork = () => cluster.fork();
  cluster.on('listening', (worker: Worker) => {
    listeningSince.set(worker.id, Date.now());
    say(`API process ${worker.process.pid} listening`, 30);
  });
  cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
    const since = listeningSince.get(worker.id);
    listeningSince.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed);
      return;
    }
    if (since === undefined || Date.now() - since < STARTUP_GRACE_MS) {
      say(`API process ${worker.process.pid} ended while starting (${signal ?? code}); stopping`);
      stopping = true;
      failed = code || 1;
      const others = Object.values(cluster.workers ?? {});
      if (others.length === 0) process.exit(failed);
      for (const w of others) w?.process.kill('SIGTERM');
      setTimeout(() => {
        for (const w of Object.values(cluster.workers ?? {})) {
          say(`API process ${w?.process.pid} did not end on SIGTERM while starting; killing it`);
          w?.process.kill('SIGKILL');
        }
      }, ABANDON_START_MS);
      return;
    }
    say(`API process ${worker.process.pid} ended (${signal ?? code}); starting another`);
    fork();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) process.exit(0);
      for (const w of workers) w?.process.kill(signal);
    });
  }
  for (let i = 0; i < count; i++) fork();
}

export const isApiProcessOfSupervisor = (): boolean => cluster.isWorker;
