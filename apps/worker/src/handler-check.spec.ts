import { ALL_QUEUES, JOBS_BY_QUEUE, JobName, QueueName } from '@allmende/queue';
import { checkJobHandlers } from './handler-check';

describe('checkJobHandlers', () => {
  it('accepts exactly one handler per job', () => {
    expect(checkJobHandlers(ALL_QUEUES.map((queue) => ({ queue, jobs: [...JOBS_BY_QUEUE[queue]] })))).toEqual(
      [],
    );
  });

  it('reports a job without handler', () => {
    const problems = checkJobHandlers([]);
    expect(problems).toContain(
      `job maintenance/${JobName.PurgeIdempotencyKeys} has 0 handlers, expected exactly 1`,
    );
    expect(problems).toContain(`job solver/${JobName.RunSolver} has 0 handlers, expected exactly 1`);
    expect(problems).toContain(`job webhooks/${JobName.FanOutWebhooks} has 0 handlers, expected exactly 1`);
    expect(problems).toHaveLength(ALL_QUEUES.flatMap((q) => JOBS_BY_QUEUE[q]).length);
  });

  it('reports a job with two handlers and handlers for unknown jobs', () => {
    const problems = checkJobHandlers([
      { queue: QueueName.Maintenance, jobs: [JobName.PurgeIdempotencyKeys] },
      { queue: QueueName.Maintenance, jobs: [JobName.PurgeIdempotencyKeys, 'nonsense'] },
    ]);
    expect(problems).toContain(
      `job maintenance/${JobName.PurgeIdempotencyKeys} has 2 handlers, expected exactly 1`,
    );
    expect(problems).toContain('handler for unknown job maintenance/nonsense');
  });
});
