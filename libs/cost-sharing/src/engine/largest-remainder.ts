/**
 * Splits `totalCents` (an integer ≥ 0) in proportion to integer `weights` so that the parts add up
 * to the total exactly: each part gets the floor of its exact share, and the cents left over go
 * one each to the largest remainders (ties to the earlier index, so the result is deterministic).
 * BigInt throughout: population × days × cents exceeds 2^53. All weights 0 gives all parts 0 — the
 * caller decides what a split without weights means.
 */
export function largestRemainder(totalCents: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0) {
    throw new RangeError(`largestRemainder: total must be a safe integer ≥ 0, is ${totalCents}`);
  }
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new RangeError(`largestRemainder: weights must be safe integers ≥ 0, got ${w}`);
    }
  }
  const sum = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (sum === 0n) return weights.map(() => 0);
  const total = BigInt(totalCents);
  const floors: bigint[] = [];
  const remainders: { index: number; rest: bigint }[] = [];
  let given = 0n;
  weights.forEach((w, index) => {
    const exact = total * BigInt(w);
    const floor = exact / sum;
    floors.push(floor);
    given += floor;
    remainders.push({ index, rest: exact % sum });
  });
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (let left = total - given, i = 0; left > 0n; left--, i++) floors[remainders[i].index] += 1n;
  return floors.map(Number);
}
