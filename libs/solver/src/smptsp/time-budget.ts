/** Start-up, parsing and output happen outside the solver's clock; keep a margin for them. */
const SAFETY_FRACTION = 0.95;
const SAFETY_MARGIN_MS = 150;

/** Solver time (ms) for a caller-facing limit in seconds that covers the whole process. */
export function solverBudgetMs(timeLimitSeconds: number): number {
  return Math.max(0, timeLimitSeconds * 1000 * SAFETY_FRACTION - SAFETY_MARGIN_MS);
}
