import { JobName, QueueName } from '@allmende/queue';
import { checkJobHandlers } from './handler-check';

describe('checkJobHandlers', () => {
  it('accepts exactly one handler per job', () => {
    expect(
      checkJobHandlers([
        { queue: QueueName.Maintenance, jobs: [JobName.PurgeIdempotencyKeys] },
        { queue: QueueName.Solver, jobs: [JobName.RunSolver] },
        {
          queue: QueueName.Notifications,
          jobs: [JobName.NotifyEvent, JobName.SendNotification, JobName.CheckInspections],
        },
        { queue: QueueName.Webhooks, jobs: [JobName.FanOutWebhooks, JobName.DeliverWebhook] },
      ]),
    ).toEqual([]);
  });

  it('reports a job without handler', () => {
    expect(checkJobHandlers([])).toEqual([
      `job maintenance/${JobName.PurgeIdempotencyKeys} has 0 handlers, expected exactly 1`,
      `job solver/${JobName.RunSolver} has 0 handlers, expected exactly 1`,
      `job notifications/${JobName.NotifyEvent} has 0 handlers, expected exactly 1`,
      `job notifications/${JobName.SendNotification} has 0 handlers, expected exactly 1`,
      `job notifications/${JobName.CheckInspections} has 0 handlers, expected exactly 1`,
      `job webhooks/${JobName.FanOutWebhooks} has 0 handlers, expected exactly 1`,
      `job webhooks/${JobName.DeliverWebhook} has 0 handlers, expected exactly 1`,
    ]);
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
