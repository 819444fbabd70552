import { Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { metrics } from '@allmende/config';
import { StatementsService } from '@allmende/cost-sharing';
import { JOB_LOCKS, JobName, QueueName } from '@allmende/queue';
import { JobDispatcher, JobHandlers } from '../job-dispatcher';

/** The monthly run: on the 1st at 06:00 (Europe/Berlin) last month's statements are issued. */
@Processor(QueueName.Statements, { ...JOB_LOCKS, concurrency: 1 })
export class StatementsProcessor extends JobDispatcher {
  readonly queue = QueueName.Statements;
  private readonly logger = new Logger(StatementsProcessor.name);

  constructor(private readonly statements: StatementsService) {
    super();
  }

  readonly handlers: JobHandlers<JobName.IssueMonthlyStatements> = {
    [JobName.IssueMonthlyStatements]: async () => {
      const result = await this.statements.issueLastMonth();
      metrics.statementsIssued.inc(result.issued.reduce((n, pool) => n + pool.statements, 0));
      this.logger.log(
        { period: result.period, issued: result.issued.length, alreadyIssued: result.alreadyIssued.length },
        'monthly statements issued',
      );
      return result;
    },
  };
}
