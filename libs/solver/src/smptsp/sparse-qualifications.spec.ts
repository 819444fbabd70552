import { HighsSolver } from '../highs';
import { constructByChains } from './chain-construct';
import { checkSmptspAssignment } from './check';
import { solveSmptspWithExact } from './exact';
import { buildSolverModel } from './model';
import { generatePlantedInstance, type PlantedParameters } from './planted';
import { Prng } from './prng';
import { ScheduleState } from './schedule-state';
import { solveSmptsp } from './solve';
import type { SmptspInstance } from './types';
import { pickWorkerToRemove } from './worker-choice';

const planted = (overrides: Partial<PlantedParameters>): ReturnType<typeof generatePlantedInstance> =>
  generatePlantedInstance({
    chains: 12,
    tasksPerChain: 8,
    extraWorkers: 8,
    tightness: 0.9,
    crossQualification: 0.01,
    segmentsPerExtra: 3,
    segmentLength: 3,
    seed: 3,
    ...overrides,
  });

describe('SMPTSP with sparse qualifications (planted chains)', () => {
  it('the start by whole chains gives each chain worker its whole chain when nothing hides them', () => {
    const { instance, optimum } = planted({ extraWorkers: 0, crossQualification: 0 });
    const state = new ScheduleState(buildSolverModel(instance));
    for (let w = 0; w < instance.qualifications.length; w++) state.activate(w);
    constructByChains(state);
    expect(state.poolSize).toBe(0);
    expect(new Set(state.workerOf).size).toBe(optimum);
  });

  it('a worker that is the only one for some task may still be removed when asked to', () => {
    // Each worker is the only active one for its own task: nobody is replaceable.
    const instance: SmptspInstance = {
      tasks: [
        { start: 0, end: 10 },
        { start: 10, end: 20 },
      ],
      qualifications: [[0], [1], [0, 1]],
    };
    const state = new ScheduleState(buildSolverModel(instance));
    state.activate(0);
    state.activate(1);
    state.assign(0, 0);
    state.assign(1, 1);
    expect(pickWorkerToRemove(state, new Prng(1))).toBe(-1);
    expect(pickWorkerToRemove(state, new Prng(1), { allowIrreplaceable: true })).toBeGreaterThanOrEqual(0);
  });

  it('the search alone reaches the planted optimum behind decoy workers that outnumber the chains', () => {
    const { instance, optimum } = planted({
      chains: 26,
      tasksPerChain: 10,
      extraWorkers: 30,
      tightness: 0.8,
      crossQualification: 0.02,
      segmentsPerExtra: 4,
      seed: 6,
    });
    const result = solveSmptsp(instance, { timeLimitMs: 30_000, maxIterations: 400_000, seed: 1 });
    expect(checkSmptspAssignment(instance, result.assignment).violations).toEqual([]);
    expect(result).toMatchObject({ feasible: true, workersUsed: optimum, provenOptimal: true });
  });

  describe('with HiGHS', () => {
    let highs: HighsSolver;
    beforeAll(() => (highs = new HighsSolver()));
    afterAll(() => highs.close());

    it('HiGHS proves the optimum of a small instance on which the search alone stays above it', async () => {
      const { instance, optimum } = planted({
        extraWorkers: 16,
        tightness: 0.8,
        crossQualification: 0.03,
        segmentsPerExtra: 4,
        seed: 4,
      });
      const alone = solveSmptsp(instance, { timeLimitMs: 30_000, maxIterations: 100_000, seed: 1 });
      expect(alone.workersUsed).toBeGreaterThan(optimum);
      const result = await solveSmptspWithExact(
        instance,
        { timeLimitMs: 30_000, maxIterations: 100_000, seed: 1 },
        highs,
      );
      expect(checkSmptspAssignment(instance, result.assignment).violations).toEqual([]);
      expect(result.exact).toMatchObject({ mipSolves: 1, provedOptimal: true });
      expect(result.exact.workersSaved).toBe(alone.workersUsed - optimum);
      expect(result).toMatchObject({ feasible: true, workersUsed: optimum, provenOptimal: true });
    });

    it('a sparse instance above 200 tasks goes to the whole MIP beside a search that cannot finish', async () => {
      const { instance, optimum } = planted({
        chains: 26,
        tasksPerChain: 10,
        extraWorkers: 30,
        tightness: 0.8,
        crossQualification: 0.02,
        segmentsPerExtra: 4,
        seed: 5,
      });
      expect(instance.tasks.length).toBeGreaterThan(200);
      // A handful of moves: the search stops long before it could prove anything itself.
      const result = await solveSmptspWithExact(
        instance,
        { timeLimitMs: 30_000, maxIterations: 25, seed: 1 },
        highs,
      );
      expect(checkSmptspAssignment(instance, result.assignment).violations).toEqual([]);
      expect(result.exact.mipSolves).toBe(1);
      expect(result).toMatchObject({ feasible: true, workersUsed: optimum, provenOptimal: true });
    });
  });
});
