/**
 * The settlement (Kostenausgleich) of a period: transfers that bring every member's net balance to
 * zero. Positive net = the member owes; the nets add up to zero.
 *
 * - direct, up to EXACT_LIMIT members with a non-zero balance: the fewest transfers, exactly. A
 *   group of k members whose balances add up to zero settles with k - 1 transfers, so the fewest
 *   transfers are n - (the most disjoint zero-sum groups), found by a DP over subsets (2^n states).
 * - direct, more members: greedy (exact pairs first, then the largest debtor pays the largest
 *   creditor); at most n - 1 transfers, not always the fewest.
 * - through the lead municipality (federführende Kommune): every debtor pays the lead, the lead
 *   pays every creditor.
 */
export const EXACT_LIMIT = 20;

export type SettlementMode = 'direct' | 'lead';
export type SettlementMethod = 'exact' | 'greedy' | 'lead';

export interface Balance {
  municipalityId: string;
  netCents: number;
}

export interface Transfer {
  fromMunicipalityId: string;
  toMunicipalityId: string;
  amountCents: number;
}

export interface Settlement {
  mode: SettlementMode;
  method: SettlementMethod;
  transfers: Transfer[];
}

export function settle(
  balances: readonly Balance[],
  options: { mode: SettlementMode; leadMunicipalityId?: string | null },
): Settlement {
  const total = balances.reduce((a, b) => a + b.netCents, 0);
  if (total !== 0) throw new RangeError(`settle: the nets add up to ${total}, not 0`);
  const open = balances
    .filter((b) => b.netCents !== 0)
    .slice()
    .sort((a, b) => (a.municipalityId < b.municipalityId ? -1 : a.municipalityId > b.municipalityId ? 1 : 0));
  if (options.mode === 'lead' && options.leadMunicipalityId) {
    return { mode: 'lead', method: 'lead', transfers: throughLead(open, options.leadMunicipalityId) };
  }
  if (open.length <= EXACT_LIMIT) {
    const transfers = zeroSumGroups(open).flatMap((g) => greedy(g));
    return { mode: 'direct', method: 'exact', transfers };
  }
  return { mode: 'direct', method: 'greedy', transfers: greedy(open, true) };
}

function throughLead(open: readonly Balance[], lead: string): Transfer[] {
  const transfers: Transfer[] = [];
  for (const b of open) {
    if (b.municipalityId === lead) continue;
    if (b.netCents > 0)
      transfers.push({
        fromMunicipalityId: b.municipalityId,
        toMunicipalityId: lead,
        amountCents: b.netCents,
      });
  }
  for (const b of open) {
    if (b.municipalityId === lead) continue;
    if (b.netCents < 0)
      transfers.push({
        fromMunicipalityId: lead,
        toMunicipalityId: b.municipalityId,
        amountCents: -b.netCents,
      });
  }
  return transfers;
}

/** The most disjoint zero-sum groups of the balances (each non-zero), by a DP over subsets. */
export function zeroSumGroups(open: readonly Balance[]): Balance[][] {
  const n = open.length;
  if (n === 0) return [];
  const size = 1 << n;
  const sums = new Float64Array(size);
  const best = new Int8Array(size);
  for (let mask = 1; mask < size; mask++) {
    const low = mask & -mask;
    sums[mask] = sums[mask ^ low] + open[31 - Math.clz32(low)].netCents;
    let most = 0;
    for (let rest = mask; rest !== 0; rest &= rest - 1) {
      const bit = rest & -rest;
      const v = best[mask ^ bit];
      if (v > most) most = v;
    }
    best[mask] = most + (sums[mask] === 0 ? 1 : 0);
  }
  // Walk back: the order in which members were added; a zero prefix sum closes a group.
  const order: number[] = [];
  let mask = size - 1;
  while (mask !== 0) {
    const own = sums[mask] === 0 ? 1 : 0;
    let chosen = -1;
    for (let rest = mask; rest !== 0; rest &= rest - 1) {
      const bit = rest & -rest;
      if (best[mask ^ bit] + own === best[mask]) {
        chosen = 31 - Math.clz32(bit);
        break;
      }
    }
    order.push(chosen);
    mask ^= 1 << chosen;
  }
  order.reverse();
  const groups: Balance[][] = [];
  let current: Balance[] = [];
  let sum = 0;
  for (const i of order) {
    current.push(open[i]);
    sum += open[i].netCents;
    if (sum === 0) {
      groups.push(current);
      current = [];
    }
  }
  return groups;
}

/** Largest debtor pays largest creditor until all are settled; with `pairsFirst`, equal amounts first. */
function greedy(group: readonly Balance[], pairsFirst = false): Transfer[] {
  const debtors = group
    .filter((b) => b.netCents > 0)
    .map((b) => ({ id: b.municipalityId, left: b.netCents }));
  const creditors = group
    .filter((b) => b.netCents < 0)
    .map((b) => ({ id: b.municipalityId, left: -b.netCents }));
  const transfers: Transfer[] = [];
  if (pairsFirst) {
    const byAmount = new Map<number, { id: string; left: number }[]>();
    for (const c of creditors) byAmount.set(c.left, [...(byAmount.get(c.left) ?? []), c]);
    for (const d of debtors) {
      const match = byAmount.get(d.left)?.find((c) => c.left === d.left);
      if (!match) continue;
      transfers.push({ fromMunicipalityId: d.id, toMunicipalityId: match.id, amountCents: d.left });
      match.left = 0;
      d.left = 0;
    }
  }
  const byLeft = (a: { id: string; left: number }, b: { id: string; left: number }) =>
    b.left - a.left || (a.id < b.id ? -1 : 1);
  for (;;) {
    const d = debtors.filter((x) => x.left > 0).sort(byLeft)[0];
    const c = creditors.filter((x) => x.left > 0).sort(byLeft)[0];
    if (!d || !c) break;
    const amount = Math.min(d.left, c.left);
    transfers.push({ fromMunicipalityId: d.id, toMunicipalityId: c.id, amountCents: amount });
    d.left -= amount;
    c.left -= amount;
  }
  return transfers;
}
