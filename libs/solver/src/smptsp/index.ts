export type { Assignment, SmptspInstance, Task } from './types';
export { parseSmptsp } from './parse';
export { checkSmptspAssignment, type FeasibilityReport } from './check';
export { maxConcurrentTasks, smptspLowerBound } from './lower-bound';
export { SmptspSearch, solveSmptsp, type SolveSmptspOptions, type SolveSmptspResult } from './solve';
export { solverBudgetMs } from './time-budget';
export { solveSmptspFile, solveSmptspFileWithExact } from './run-file';
export { solveSmptspWithExact, type ExactSmptspReport, type SolveSmptspExactResult } from './exact';
export {
  generatePlantedInstance,
  plantedBenchmarkFamily,
  type PlantedFamilyMember,
  type PlantedInstance,
  type PlantedParameters,
} from './planted';
