import { runPoolSolver } from './run-pool-solver';
import type { PortablePoolModel } from './portable-model';

describe('runPoolSolver: the thread heap cap (ALLMENDE_SOLVER_HEAP_MB)', () => {
  it('fails a run whose thread runs out of its heap with a message that names the setting', async () => {
    // 4 MB cannot even hold the solver's code: the thread dies of the cap before it reads the model.
    const run = runPoolSolver({} as PortablePoolModel, {
      withProposals: true,
      seed: 1,
      timeLimitMs: 5_000,
      heapMb: 4,
    });
    await expect(run).rejects.toThrow(/more than its 4 MB of heap; raise ALLMENDE_SOLVER_HEAP_MB/);
  }, 60_000);
});
