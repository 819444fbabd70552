export type { MipModel, MipResult, MipSolveOptions, MipSolver, MipStatus } from './mip-solver';
export { MipBuilder } from './mip-builder';
