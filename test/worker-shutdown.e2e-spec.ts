import { SYSTEM_ACTOR } from '@allmende/core';
import { PlanningService } from '@allmende/planning';
import { seedRegion } from './support/seed';
import { startTestStack, TestStack } from './support/test-app';

/** SIGTERM closes the worker: the job in progress finishes before the process lets go. */
describe('worker shutdown', () => {
  jest.setTimeout(120_000);
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ worker: true });
  });

  afterAll(async () => {
    await stack.close();
  });

  it('lets an active solver job finish when the worker closes', async () => {
    const region = await seedRegion(stack.api);
    const planning = stack.api.get(PlanningService);
    const run = await planning.requestRun(
      SYSTEM_ACTOR,
      region.poolId,
      'proposals',
      new Date('2026-05-04T00:00:00+02:00'),
      new Date('2026-05-11T00:00:00+02:00'),
      2,
    );
    let status = run.status;
    for (let i = 0; i < 500 && status === 'queued'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      status = (await planning.getRun(SYSTEM_ACTOR, run.id)).run.status;
    }
    expect(status).toBe('running');
    await stack.worker!.close();
    stack.worker = undefined;
    expect((await planning.getRun(SYSTEM_ACTOR, run.id)).run.status).toBe('done');
  });
});
