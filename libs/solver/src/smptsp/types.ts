/**
 * Shift Minimisation Personnel Task Scheduling (SMPTSP) instance.
 * Tasks have fixed half-open intervals [start, end); each worker may only take the tasks listed
 * in its qualification list.
 */
export interface Task {
  readonly start: number;
  readonly end: number;
}

export interface SmptspInstance {
  readonly tasks: readonly Task[];
  /** Per worker: indices of the tasks it is qualified for. */
  readonly qualifications: readonly (readonly number[])[];
}

/** assignment[task] = 0-based worker index. */
export type Assignment = readonly number[];
