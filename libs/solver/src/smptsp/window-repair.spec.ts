import { HighsSolver } from '../highs';
import { checkSmptspAssignment } from './check';
import { buildSolverModel } from './model';
import type { SmptspInstance } from './types';
import { buildWindowRepair, windowsAround } from './window-repair';

describe('exact window repair of a stalled partial schedule', () => {
  let highs: HighsSolver;
  beforeAll(() => (highs = new HighsSolver()));
  afterAll(() => highs.close());

  // Worker 0 does Y, worker 1 does X; P waits: only worker 1 may do it, and X is in its way.
  // Z lies across the window's end and keeps worker 0 busy after 18.
  const instance: SmptspInstance = {
    tasks: [
      { start: 0, end: 8 }, // Y
      { start: 8, end: 12 }, // X
      { start: 10, end: 20 }, // P
      { start: 18, end: 30 }, // Z
    ],
    qualifications: [
      [0, 1, 3],
      [1, 2],
    ],
  };

  it('moves a task inside the window to another worker so that the waiting one fits', async () => {
    const model = buildSolverModel(instance);
    const workerOf = Int32Array.from([0, 1, -1, 0]);
    const active = Uint8Array.from([1, 1]);
    const [window] = windowsAround(model, [2], 10);
    expect(window).toEqual({ from: 0, to: 30 });
    const repair = buildWindowRepair(model, workerOf, active, { from: 0, to: 20 }, 100);
    expect(repair?.waiting).toEqual([2]);
    const result = await highs.solve(repair!.mip, { timeLimitMs: 5_000, start: repair!.start });
    expect(result).toMatchObject({ status: 'optimal', objective: 1 });
    const assignment = Array.from(workerOf);
    for (const { task, worker } of repair!.read(result) ?? []) assignment[task] = worker;
    expect(assignment).toEqual([0, 0, 1, 0]);
    expect(checkSmptspAssignment(instance, assignment)).toMatchObject({ feasible: true, workersUsed: 2 });
  });

  it('has nothing to do in a window without waiting tasks', () => {
    const model = buildSolverModel(instance);
    const repair = buildWindowRepair(
      model,
      Int32Array.from([0, 1, -1, 0]),
      Uint8Array.from([1, 1]),
      { from: 0, to: 9 },
      100,
    );
    expect(repair).toBeNull();
  });
});
