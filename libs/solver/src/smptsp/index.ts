export type { Assignment, SmptspInstance, Task } from './types';
export { parseSmptsp } from './parse';
export { checkSmptspAssignment, type FeasibilityReport } from './check';
export { maxConcurrentTasks, smptspLowerBound } from './lower-bound';
export { solveSmptsp, type SolveSmptspOptions, type SolveSmptspResult } from './solve';
export { solverBudgetMs } from './time-budget';
export { solveSmptspFile } from './run-file';
