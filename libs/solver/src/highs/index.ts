export { HighsSolver, type HighsSolverOptions } from './highs-solver';
