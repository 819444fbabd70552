import type { MipModel, MipResult, MipSolveOptions } from '../mip';

/** Messages between the HiGHS runner and its worker thread. */
export type ToHighsThread =
  | { type: 'warm-up' }
  | { type: 'solve'; id: number; model: MipModel; options: MipSolveOptions; deadline: number };

export type FromHighsThread =
  | { type: 'ready' }
  | { type: 'incumbent'; id: number; objective: number; solution: Float64Array }
  | { type: 'bound'; id: number; bound: number }
  | { type: 'done'; id: number; result: MipResult }
  | { type: 'failed'; id: number; message: string };
