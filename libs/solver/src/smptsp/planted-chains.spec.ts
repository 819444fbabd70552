import { checkSmptspAssignment } from './check';
import { smptspLowerBound } from './lower-bound';
import { generatePlantedInstance, type PlantedParameters, plantedBenchmarkFamily } from './planted';

const small: PlantedParameters = {
  chains: 6,
  tasksPerChain: 8,
  extraWorkers: 4,
  tightness: 0.9,
  crossQualification: 0.03,
  segmentsPerExtra: 2,
  segmentLength: 3,
  seed: 7,
};

describe('planted SMPTSP chains', () => {
  it('plants a feasible schedule with exactly the optimum, equal to the max-overlap lower bound', () => {
    const planted = generatePlantedInstance(small);
    const report = checkSmptspAssignment(planted.instance, planted.plantedAssignment);
    expect(report.violations).toEqual([]);
    expect(report.workersUsed).toBe(6);
    expect(planted.optimum).toBe(6);
    expect(smptspLowerBound(planted.instance)).toBe(6);
    expect(planted.instance.qualifications).toHaveLength(10);
  });

  it('is pure: equal seeds give equal instances, other seeds other ones', () => {
    expect(generatePlantedInstance(small)).toEqual(generatePlantedInstance(small));
    expect(generatePlantedInstance({ ...small, seed: 8 }).instance).not.toEqual(
      generatePlantedInstance(small).instance,
    );
  });

  it('keeps tasks of a chain inside the day with the tightness asked for', () => {
    const planted = generatePlantedInstance({ ...small, tightness: 0.95 });
    const byWorker = new Map<number, number>();
    planted.instance.tasks.forEach((task, t) => {
      expect(task.start).toBeGreaterThanOrEqual(0);
      expect(task.end).toBeLessThanOrEqual(1440);
      expect(task.end).toBeGreaterThan(task.start);
      const worker = planted.plantedAssignment[t];
      byWorker.set(worker, (byWorker.get(worker) ?? 0) + task.end - task.start);
    });
    for (const busy of byWorker.values()) expect(busy).toBeGreaterThanOrEqual(Math.round(1440 * 0.95) - 1);
  });

  it('hides the planted workers: extra workers hold pieces of chains, qualifications are shuffled', () => {
    const planted = generatePlantedInstance(small);
    const plantedWorkers = new Set(planted.plantedAssignment);
    const extras = planted.instance.qualifications.map((_, w) => w).filter((w) => !plantedWorkers.has(w));
    expect(extras).toHaveLength(4);
    for (const w of extras) expect(planted.instance.qualifications[w].length).toBeGreaterThan(0);
    // Planted workers are not simply the first K.
    expect([...plantedWorkers].sort((a, b) => a - b)).not.toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects parameters that cannot make an instance', () => {
    expect(() => generatePlantedInstance({ ...small, chains: 0 })).toThrow(RangeError);
    expect(() => generatePlantedInstance({ ...small, tightness: 1.2 })).toThrow(/tightness/);
  });

  it('the benchmark family spans 240-1,200 tasks and 40-250 workers, every member at its bound', () => {
    const family = plantedBenchmarkFamily();
    expect(family.length).toBeGreaterThanOrEqual(12);
    expect(new Set(family.map((m) => m.name)).size).toBe(family.length);
    for (const member of family) {
      const planted = generatePlantedInstance(member.parameters);
      const tasks = planted.instance.tasks.length;
      const workers = planted.instance.qualifications.length;
      expect(tasks).toBeGreaterThanOrEqual(200);
      expect(tasks).toBeLessThanOrEqual(1300);
      expect(workers).toBeGreaterThanOrEqual(40);
      expect(workers).toBeLessThanOrEqual(250);
      expect(smptspLowerBound(planted.instance)).toBe(planted.optimum);
      expect(checkSmptspAssignment(planted.instance, planted.plantedAssignment).workersUsed).toBe(
        planted.optimum,
      );
    }
  });
});
