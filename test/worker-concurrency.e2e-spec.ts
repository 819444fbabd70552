import { MaintenanceProcessor } from '../apps/worker/src/processors/maintenance.processor';
import { SolverProcessor } from '../apps/worker/src/processors/solver.processor';
import { startTestStack, TestStack } from './support/test-app';

describe('WORKER_CONCURRENCY', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ worker: true, env: { WORKER_CONCURRENCY: '3' } });
  });

  afterAll(async () => {
    await stack.close();
  });

  it('lets every queue of the worker take that many jobs at once, sharing as many slots', () => {
    for (const processor of [MaintenanceProcessor, SolverProcessor]) {
      expect(stack.worker!.get(processor).worker.concurrency).toBe(3);
    }
  });
});
