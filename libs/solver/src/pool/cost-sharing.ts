import { DateTime } from 'luxon';
import { ZONE } from './calendar';
import type { CostSharingKey, PoolModel, SolverMember } from './model';

/**
 * Members who would pay for something bought at the end of the period: joined by then and not
 * leaving before it ends.
 */
export function payingMembers(model: PoolModel): SolverMember[] {
  const lastDay = DateTime.fromMillis(model.period.end - 1, { zone: ZONE }).toISODate() ?? '';
  return model.members
    .filter((m) => m.joinedOn <= lastDay && (m.leftOn === null || m.leftOn > lastDay))
    .sort((a, b) => (a.municipalityId < b.municipalityId ? -1 : a.municipalityId > b.municipalityId ? 1 : 0));
}

/**
 * Splits `totalCents` between members by the pool's key. `usage` gives each member's usage
 * measure (e.g. booked + unmet hours of the machine type). Integer cents, largest remainder:
 * the shares add up to the total exactly. When a key has nothing to weigh (no usage at all, no
 * agreed shares), the split falls back to equal parts rather than billing nobody.
 */
export function shareCosts(
  totalCents: number,
  members: readonly SolverMember[],
  key: CostSharingKey,
  usage: ReadonlyMap<string, number>,
): { municipalityId: string; cents: number }[] {
  if (members.length === 0) return [];
  const population = members.map((m) => Math.max(0, m.population));
  const equal = members.map(() => 1);
  const used = members.map((m) => Math.max(0, usage.get(m.municipalityId) ?? 0));
  const normalized = (w: number[]): number[] => {
    const sum = w.reduce((a, b) => a + b, 0);
    return sum > 0 ? w.map((x) => x / sum) : [];
  };
  let weights: number[];
  switch (key.key) {
    case 'population':
      weights = normalized(population);
      break;
    case 'equal':
      weights = normalized(equal);
      break;
    case 'usage':
      weights = normalized(used);
      break;
    case 'shares':
      weights = normalized(members.map((m) => Math.max(0, key.shares?.[m.municipalityId] ?? 0)));
      break;
    case 'mixed': {
      const parts: [number, number[]][] = [
        [key.mix?.population ?? 0, normalized(population)],
        [key.mix?.equal ?? 0, normalized(equal)],
        [key.mix?.usage ?? 0, normalized(used)],
      ];
      const usable = parts.filter(([factor, w]) => factor > 0 && w.length > 0);
      const total = usable.reduce((a, [factor]) => a + factor, 0);
      weights =
        total > 0 ? members.map((_, i) => usable.reduce((a, [f, w]) => a + (f / total) * w[i], 0)) : [];
      break;
    }
  }
  if (weights.length === 0) weights = normalized(equal);
  const cents = largestRemainder(totalCents, weights);
  return members.map((m, i) => ({ municipalityId: m.municipalityId, cents: cents[i] }));
}

/** Integer parts of `total` proportional to `weights` (summing to 1) that add up to `total`. */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const quotas = weights.map((w) => total * w);
  const parts = quotas.map((q) => Math.floor(q + 1e-9));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = quotas.map((q, i) => ({ i, r: q - parts[i] })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % byRemainder.length, rest--) parts[byRemainder[k].i]++;
  for (let k = byRemainder.length - 1; rest < 0; k = (k - 1 + byRemainder.length) % byRemainder.length) {
    if (parts[byRemainder[k].i] > 0) {
      parts[byRemainder[k].i]--;
      rest++;
    }
  }
  return parts;
}
