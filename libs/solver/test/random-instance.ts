/**
 * Test support: fast-check arbitrary for small SMPTSP instances that are feasible by
 * construction (a hidden schedule of non-overlapping chains, one per hidden worker, plus extra
 * random qualifications and spare workers).
 */
import fc from 'fast-check';
import type { SmptspInstance, Task } from '../src/smptsp/types';

export const feasibleInstanceArbitrary: fc.Arbitrary<SmptspInstance> = fc
  .record({
    chains: fc.array(
      fc.array(fc.record({ gap: fc.integer({ min: 0, max: 30 }), length: fc.integer({ min: 1, max: 60 }) }), {
        minLength: 1,
        maxLength: 6,
      }),
      { minLength: 1, maxLength: 6 },
    ),
    spareWorkers: fc.integer({ min: 0, max: 3 }),
    extraQualificationSeed: fc.array(fc.boolean(), { minLength: 400, maxLength: 400 }),
  })
  .map(({ chains, spareWorkers, extraQualificationSeed }) => {
    const tasks: Task[] = [];
    const qualifications: number[][] = [];
    for (const chain of chains) {
      const own: number[] = [];
      let time = 0;
      for (const { gap, length } of chain) {
        time += gap;
        own.push(tasks.length);
        tasks.push({ start: time, end: time + length });
        time += length;
      }
      qualifications.push(own);
    }
    for (let s = 0; s < spareWorkers; s++) qualifications.push([]);
    // Sprinkle extra qualifications so that the hidden schedule is not the only one.
    let bit = 0;
    qualifications.forEach((list) => {
      for (let task = 0; task < tasks.length; task++) {
        if (!list.includes(task) && extraQualificationSeed[bit++ % extraQualificationSeed.length])
          list.push(task);
      }
    });
    return { tasks, qualifications };
  });
