import { checkSmptspAssignment } from './check';
import type { SmptspInstance } from './types';

// Task 0 [0,10) and task 1 [5,15) overlap; task 2 [10,20) only touches task 0 (half-open).
const INSTANCE: SmptspInstance = {
  tasks: [
    { start: 0, end: 10 },
    { start: 5, end: 15 },
    { start: 10, end: 20 },
  ],
  qualifications: [
    [0, 2],
    [0, 1, 2],
  ],
};

describe('checkSmptspAssignment', () => {
  it('accepts a feasible assignment and counts the workers used', () => {
    expect(checkSmptspAssignment(INSTANCE, [0, 1, 0])).toEqual({
      feasible: true,
      workersUsed: 2,
      violations: [],
    });
  });

  it('treats touching intervals as compatible (half-open)', () => {
    expect(checkSmptspAssignment(INSTANCE, [1, 1, 1]).violations).toEqual([
      expect.stringMatching(/worker 1 has overlapping tasks 0 \[0,10\) and 1 \[5,15\)/),
      expect.stringMatching(/worker 1 has overlapping tasks 1 \[5,15\) and 2 \[10,20\)/),
    ]);
  });

  it('reports a task assigned to an unqualified worker', () => {
    const report = checkSmptspAssignment(INSTANCE, [1, 0, 1]);
    expect(report.feasible).toBe(false);
    expect(report.violations).toEqual(['task 1 is assigned to worker 0, who is not qualified for it']);
  });

  it('reports overlapping tasks on one worker', () => {
    const report = checkSmptspAssignment(INSTANCE, [1, 1, 0]);
    expect(report.feasible).toBe(false);
    expect(report.violations).toEqual([expect.stringMatching(/worker 1 has overlapping tasks 0 .* and 1 /)]);
  });

  it('catches an overlap hidden behind a short task (long task spans several later ones)', () => {
    const instance: SmptspInstance = {
      tasks: [
        { start: 0, end: 100 },
        { start: 10, end: 20 },
        { start: 50, end: 60 },
      ],
      qualifications: [[0, 1, 2]],
    };
    expect(checkSmptspAssignment(instance, [0, 0, 0]).violations).toHaveLength(2);
  });

  it('reports unassigned tasks, unknown workers and a wrong assignment length', () => {
    const report = checkSmptspAssignment(INSTANCE, [0, -1]);
    expect(report.feasible).toBe(false);
    expect(report.violations).toEqual([
      'assignment has 2 entries but the instance has 3 tasks',
      'task 1 is assigned to unknown worker -1',
      'task 2 is not assigned',
    ]);
    expect(checkSmptspAssignment(INSTANCE, [0, 7, 0]).violations).toEqual([
      'task 1 is assigned to unknown worker 7',
    ]);
    expect(checkSmptspAssignment(INSTANCE, [0, 1.5, 0]).violations).toEqual([
      'task 1 is assigned to unknown worker 1.5',
    ]);
  });
});
