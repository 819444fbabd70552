import { HighsSolver } from '../highs';
import { checkSmptspAssignment } from './check';
import { solveSmptspWithExact } from './exact';
import { LagrangianBound } from './lagrangian';
import { smptspLowerBound } from './lower-bound';
import { buildSolverModel } from './model';
import { generatePlantedInstance, type PlantedParameters, plantedBenchmarkFamily } from './planted';
import { SmptspSearch } from './solve';
import type { SmptspInstance } from './types';

/** Three tasks one after another (clique bound 1), but nobody may do all three: optimum 2. */
const ring: SmptspInstance = {
  tasks: [
    { start: 0, end: 10 },
    { start: 10, end: 20 },
    { start: 20, end: 30 },
  ],
  qualifications: [
    [0, 1],
    [1, 2],
    [0, 2],
  ],
};

const planted: PlantedParameters = {
  chains: 12,
  tasksPerChain: 10,
  extraWorkers: 10,
  tightness: 0.75,
  crossQualification: 0.03,
  segmentsPerExtra: 2,
  segmentLength: 3,
  seed: 11,
};

/** A clock that moves one millisecond each time it is read: time passes only through it. */
function tickingClock(): () => number {
  let now = 0;
  return () => ++now;
}

describe('Lagrangian bound over chains', () => {
  it('proves more than the max-overlap bound where no worker can do every task of a moment-free ring', () => {
    const model = buildSolverModel(ring);
    const lagrangian = new LagrangianBound(model, smptspLowerBound(ring));
    lagrangian.improve(2_000, 3);
    // The covering LP's optimum is 1.5 (each worker covers two of the three tasks): at least 2.
    expect(smptspLowerBound(ring)).toBe(1);
    expect(lagrangian.best).toBeLessThanOrEqual(2);
    expect(lagrangian.bound).toBe(2);
  });

  it('never exceeds the optimum of planted instances, and reaches their bound on a tight one', () => {
    for (const tightness of [0.75, 0.95]) {
      const instance = generatePlantedInstance({ ...planted, tightness });
      const lagrangian = new LagrangianBound(buildSolverModel(instance.instance), instance.optimum);
      lagrangian.improve(3_000, instance.optimum + 2);
      expect(lagrangian.best).toBeLessThanOrEqual(instance.optimum + 1e-9);
      expect(lagrangian.bound).toBeLessThanOrEqual(instance.optimum);
      expect(lagrangian.best).toBeGreaterThan(instance.optimum - 1);
    }
  });

  it('stops when told it is out of time', () => {
    const instance = generatePlantedInstance(planted);
    const lagrangian = new LagrangianBound(buildSolverModel(instance.instance), instance.optimum);
    lagrangian.improve(1_000_000, instance.optimum + 2, () => true);
    expect(lagrangian.steps).toBeLessThanOrEqual(8);
  });
});

describe('restarts by chains weighted with Lagrangian multipliers', () => {
  it('keep the best schedule and the bound while the search starts afresh', () => {
    const instance = generatePlantedInstance(planted).instance;
    const search = new SmptspSearch(instance, { seed: 3, maxIterations: 20_000 });
    search.runUntil(Number.POSITIVE_INFINITY);
    const best = search.best?.slice();
    const workers = search.bestWorkers;
    const bound = search.lowerBound;
    const lagrangian = new LagrangianBound(search.model, bound);
    lagrangian.improve(500, bound + 2);
    // Multipliers of zero everywhere make the worst start there is: the best must survive it.
    search.restartByChains(new Float64Array(search.model.taskCount).fill(1e-9), Number.POSITIVE_INFINITY);
    expect(search.bestWorkers).toBe(workers);
    expect(search.best).toEqual(best);
    expect(search.lowerBound).toBe(bound);
    search.restartByChains(lagrangian.bestMultipliers, Number.POSITIVE_INFINITY);
    const result = search.result(0);
    expect(result.workersUsed).toBeLessThanOrEqual(workers);
    expect(checkSmptspAssignment(instance, result.assignment).feasible).toBe(true);
  });
});

describe('solveSmptspWithExact on sparse qualifications (Lagrangian restarts)', () => {
  let highs: HighsSolver;
  beforeAll(async () => {
    highs = new HighsSolver();
    await highs.warmUp();
  });
  afterAll(() => highs.close());

  it('finds the planted optimum of a small tight instance and proves it', async () => {
    const member = plantedBenchmarkFamily().find((m) => m.name === 'planted_480_70_t95_q5');
    const instance = generatePlantedInstance(member!.parameters);
    const result = await solveSmptspWithExact(instance.instance, { timeLimitMs: 20_000, seed: 1 }, highs);
    expect(checkSmptspAssignment(instance.instance, result.assignment)).toMatchObject({
      feasible: true,
      workersUsed: instance.optimum,
    });
    expect(result.provenOptimal).toBe(true);
  });

  it('keeps its time limit hard and reads no clock but the one it is given', async () => {
    // The hardest planted instance, with far too little time: only the injected clock may say
    // when to stop, and it must stop at the limit (slack: the few reads between two checks,
    // each at most 64 search moves or 8 subgradient steps apart).
    const member = plantedBenchmarkFamily().find((m) => m.name === 'planted_1200_250_t75_q30');
    const instance = generatePlantedInstance(member!.parameters).instance;
    const limit = 3_000;
    const run = async (): Promise<{ elapsed: number; assignment: number[] }> => {
      const clock = tickingClock();
      const result = await solveSmptspWithExact(instance, { timeLimitMs: limit, seed: 5, clock }, highs);
      expect(result.exact.mipSolves).toBe(0);
      expect(checkSmptspAssignment(instance, result.assignment).feasible).toBe(true);
      return { elapsed: result.elapsedMs, assignment: result.assignment };
    };
    const now = jest.spyOn(performance, 'now').mockImplementation(() => {
      throw new Error('the solver read the wall clock');
    });
    const date = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('the solver read the wall clock');
    });
    try {
      const first = await run();
      expect(first.elapsed).toBeLessThanOrEqual(limit + 20);
      // Pure: with the same clock and seed, the same schedule.
      expect(await run()).toEqual(first);
    } finally {
      now.mockRestore();
      date.mockRestore();
    }
  });
});
