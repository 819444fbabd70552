import fc from 'fast-check';
import {
  benchmarkInstanceNames,
  describeWithBenchmark,
  loadBenchmarkInstance,
  readBenchmarkBounds,
} from '../../test/benchmark-set';
import { maxConcurrentTasks } from './lower-bound';
import type { SmptspInstance } from './types';

const instanceOf = (intervals: [number, number][]): SmptspInstance => ({
  tasks: intervals.map(([start, end]) => ({ start, end })),
  qualifications: [],
});

describe('maxConcurrentTasks', () => {
  it('counts touching intervals as not simultaneous (half-open)', () => {
    expect(
      maxConcurrentTasks(
        instanceOf([
          [0, 10],
          [10, 20],
          [20, 30],
        ]),
      ),
    ).toBe(1);
    expect(
      maxConcurrentTasks(
        instanceOf([
          [0, 10],
          [9, 20],
          [10, 30],
        ]),
      ),
    ).toBe(2);
    expect(maxConcurrentTasks(instanceOf([]))).toBe(0);
  });

  it('equals the most tasks running at any task start (brute force)', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 20 }));
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 30 }), (raw) => {
        const intervals = raw.map(([s, len]): [number, number] => [s, s + len]);
        const brute = Math.max(
          0,
          ...intervals.map(([at]) => intervals.filter(([s, e]) => s <= at && at < e).length),
        );
        expect(maxConcurrentTasks(instanceOf(intervals))).toBe(brute);
      }),
    );
  });
});

describeWithBenchmark('maxConcurrentTasks on the benchmark set', () => {
  it('equals lower_bound of bounds.csv for every instance', () => {
    const bounds = readBenchmarkBounds();
    const names = benchmarkInstanceNames();
    expect(names).toHaveLength(bounds.length);
    for (const { name, lowerBound, tasks } of bounds) {
      const instance = loadBenchmarkInstance(name);
      expect({ name, tasks: instance.tasks.length, lowerBound: maxConcurrentTasks(instance) }).toEqual({
        name,
        tasks,
        lowerBound,
      });
    }
  });
});
