import { Processor } from '@nestjs/bullmq';
import { metrics } from '@allmende/config';
import { PlanningService } from '@allmende/planning';
import { JOB_LOCKS, JobName, QueueName } from '@allmende/queue';
import { JobDispatcher, JobHandlers } from '../job-dispatcher';

/**
 * Solver runs: the search itself runs in a worker thread, progress goes to the job. How many run
 * at once follows WORKER_CONCURRENCY (each takes one core while it searches).
 */
@Processor(QueueName.Solver, { ...JOB_LOCKS })
export class SolverProcessor extends JobDispatcher {
  readonly queue = QueueName.Solver;

  constructor(private readonly planning: PlanningService) {
    super();
  }

  readonly handlers: JobHandlers<JobName.RunSolver> = {
    [JobName.RunSolver]: async ({ runId }, job) => {
      try {
        await this.planning.execute(runId, (percent) => job.updateProgress(percent));
      } catch (e) {
        metrics.solverRuns.inc({ outcome: 'error' });
        throw e;
      }
      metrics.solverRuns.inc({ outcome: 'finished' });
      return { runId };
    },
  };
}
