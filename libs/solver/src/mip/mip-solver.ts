/**
 * The port through which the pure solvers ask for exact answers: a mixed-integer linear model in
 * typed arrays in, status, objective, proven bound and solution out. The pure code never loads
 * a solver itself; the caller hands it an implementation (HiGHS in a terminable worker thread,
 * see `../highs`), so the search stays testable and free of I/O.
 */

/**
 * minimise or maximise  colCost·x
 * subject to            rowLower ≤ A·x ≤ rowUpper,  colLower ≤ x ≤ colUpper,
 *                       x[j] integer where integrality[j] = 1.
 * A is stored in compressed rows: row i has the entries rowStarts[i] .. rowStarts[i + 1] of
 * colIndices / values. Missing bounds are ±Infinity.
 */
export interface MipModel {
  readonly sense: 'minimize' | 'maximize';
  readonly numCols: number;
  readonly numRows: number;
  readonly colCost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  readonly rowStarts: Int32Array;
  readonly colIndices: Int32Array;
  readonly values: Float64Array;
  /** 1 for integer columns; all columns are continuous without it. */
  readonly integrality?: Uint8Array;
}

export interface MipSolveOptions {
  /** Hard wall-clock limit for the call, including loading the model. */
  readonly timeLimitMs: number;
  /** Solve only the LP relaxation (integrality ignored): a bound, fast. */
  readonly relaxation?: boolean;
  /** A known feasible solution to start from (one value per column). */
  readonly start?: Float64Array;
  /** Seed of the solver's random choices: equal seeds give equal runs. */
  readonly seed?: number;
}

export type MipStatus =
  /** Solved to proven optimality (`objective` = `bound`). */
  | 'optimal'
  /** Proven to have no solution. */
  | 'infeasible'
  | 'unbounded'
  /** Stopped by the time limit: `objective`/`solution` are the best found, `bound` the best proven. */
  | 'time-limit'
  /** The solver failed; `message` says why. */
  | 'error';

export interface MipResult {
  readonly status: MipStatus;
  /** Objective of the best solution found, or null if none. */
  readonly objective: number | null;
  readonly solution: Float64Array | null;
  /**
   * Best proven bound on the optimum (minimise: no solution is below it; maximise: none above),
   * or null if none is known. For a relaxation it is the relaxation's optimum.
   */
  readonly bound: number | null;
  readonly elapsedMs: number;
  readonly message?: string;
}

export interface MipSolver {
  solve(model: MipModel, options: MipSolveOptions): Promise<MipResult>;
  /**
   * Optional: resolves once the solver is loaded (a solve's time limit includes loading, so many
   * short solves wait for this first rather than spend their limit on it).
   */
  warmUp?(): Promise<void>;
}
