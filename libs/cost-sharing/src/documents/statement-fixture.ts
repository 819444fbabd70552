import type {
  MemberSavings,
  MemberStatement,
  PoolStatements,
  SettlementTransfer,
  StatementLine,
} from '../statement-document';

/**
 * Hand-made statements for the renderers' tests and the document benchmark: not computed by the
 * cost-sharing engine, but consistent the way its output is (totals add up, credits go to the
 * owners, the nets sum to zero, the settlement balances them).
 */
export interface FixtureMember {
  id: string;
  name: string;
  /** Population, for the key's basis text. */
  population: number;
}

export interface FixtureResource {
  id: string;
  name: string;
  ownerId: string;
  hourlyRateCents: number;
  perUseCents: number;
  /** This period's fixed cost of the resource. */
  fixedCents: number;
}

export interface FixtureUsage {
  memberId: string;
  resourceId: string;
  date: string;
  hours: number;
  estimated?: boolean;
}

export interface FixtureOptions {
  poolName?: string;
  period?: string;
  finalized?: boolean;
  language?: 'de' | 'en';
  overheadCents?: number;
  /** Host of the coordination unit, credited the overhead. */
  hostId?: string;
  adjustments?: { memberId: string; amountCents: number; description: string }[];
  savings?: boolean;
}

/** Largest-remainder split of `total` by weights; the parts add up to `total` exactly. */
function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (rest-- <= 0) break;
    parts[i] += 1;
  }
  return parts;
}

const de = (n: number, digits = 0) =>
  new Intl.NumberFormat('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);

export function buildStatements(
  members: FixtureMember[],
  resources: FixtureResource[],
  usages: FixtureUsage[],
  options: FixtureOptions = {},
): PoolStatements {
  const period = options.period ?? '2026-11';
  const [y, m] = period.split('-').map(Number);
  const to = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  const byId = new Map(resources.map((r) => [r.id, r]));
  const memberName = new Map(members.map((mm) => [mm.id, mm.name]));
  const lines = new Map<string, StatementLine[]>(members.map((mm) => [mm.id, []]));
  const credits = new Map<string, Map<string, { description: string; cents: number }>>(
    members.map((mm) => [mm.id, new Map()]),
  );
  const credit = (ownerId: string, key: string, description: string, cents: number) => {
    const own = credits.get(ownerId)!;
    const c = own.get(key) ?? { description, cents: 0 };
    c.cents += cents;
    own.set(key, c);
  };

  for (const [i, u] of usages.entries()) {
    const r = byId.get(u.resourceId)!;
    const amountCents = Math.round(u.hours * r.hourlyRateCents) + r.perUseCents;
    lines.get(u.memberId)!.push({
      kind: 'usage',
      description: `Einsatz ${de(u.hours, 1)} h${r.perUseCents ? ' zzgl. Einsatzpauschale' : ''}`,
      amountCents,
      bookingId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resourceId: r.id,
      resourceName: r.name,
      date: u.date,
      hours: u.hours,
      rateCents: r.hourlyRateCents,
      ...(u.estimated ? { usageEstimated: true } : {}),
    });
    credit(r.ownerId, `usage:${r.id}`, `Nutzungsentgelte ${r.name}`, amountCents);
  }

  const population = members.reduce((a, mm) => a + mm.population, 0);
  const basis = (mm: FixtureMember) =>
    `${de(mm.population)} von ${de(population)} Einwohnern = ${de((100 * mm.population) / population, 2)} %`;
  const fixedItems = [
    ...resources.map((r) => ({
      key: r.id,
      name: `Fixkosten ${r.name}`,
      cents: r.fixedCents,
      owner: r.ownerId,
    })),
    ...(options.overheadCents
      ? [
          {
            key: 'overhead',
            name: 'Koordinationseinheit (Verwaltungskosten)',
            cents: options.overheadCents,
            owner: options.hostId ?? members[0].id,
          },
        ]
      : []),
  ];
  for (const item of fixedItems) {
    const shares = split(
      item.cents,
      members.map((mm) => mm.population),
    );
    members.forEach((mm, i) => {
      lines.get(mm.id)!.push({
        kind: 'fixed',
        description: `Anteil ${item.name}`,
        amountCents: shares[i],
        basis: basis(mm),
      });
    });
    credit(
      item.owner,
      `fixed:${item.key}`,
      `Fixkostenanteile der Mitglieder: ${item.name.replace(/^Fixkosten /, '')}`,
      item.cents,
    );
  }
  for (const a of options.adjustments ?? []) {
    lines
      .get(a.memberId)!
      .push({ kind: 'adjustment', description: a.description, amountCents: a.amountCents });
    // The correction changes what the pool's owners are owed by the same amount: the first owner here.
    credit(resources[0].ownerId, 'adjustment', 'Korrekturen aus Vormonaten', a.amountCents);
  }

  const statements: MemberStatement[] = members.map((mm) => {
    const own = lines.get(mm.id)!;
    for (const [, c] of credits.get(mm.id)!)
      own.push({ kind: 'credit', description: c.description, amountCents: c.cents });
    const sum = (kind: StatementLine['kind']) =>
      own.filter((l) => l.kind === kind).reduce((a, l) => a + l.amountCents, 0);
    const usageCents = sum('usage');
    const fixedCents = sum('fixed');
    const adjustmentsCents = sum('adjustment');
    const totalCents = usageCents + fixedCents + adjustmentsCents;
    const creditsCents = sum('credit');
    return {
      municipalityId: mm.id,
      municipalityName: mm.name,
      number: options.finalized ? `${y}-${String(members.indexOf(mm) + 1).padStart(4, '0')}` : null,
      checksum: options.finalized ? (mm.id.replace(/-/g, '') + 'ab'.repeat(16)).slice(0, 64) : null,
      usageCents,
      fixedCents,
      adjustmentsCents,
      totalCents,
      creditsCents,
      netCents: totalCents - creditsCents,
      lines: own,
    };
  });

  if (options.savings) {
    for (const s of statements) {
      const standaloneCostCents = Math.max(s.usageCents * 3, 100_000);
      const savings: MemberSavings = {
        paidNetCents: s.netCents,
        standaloneCostCents,
        savingCents: standaloneCostCents - s.netCents,
        savingPercent: Math.round((10_000 * (standaloneCostCents - s.netCents)) / standaloneCostCents) / 100,
        earnedFromOthersCents: s.lines
          .filter((l) => l.kind === 'credit' && l.description.startsWith('Nutzungsentgelte'))
          .reduce((a, l) => a + l.amountCents, 0),
        basis:
          'Eigene Maschine je genutztem Typ zu den Eigenkosten des Verbunds (Kehrmaschine, Kanal-TV-Kamera)',
      };
      s.savings = savings;
    }
  }

  // The fewest transfers for a handful of members: the largest debtor pays the largest creditor.
  const settlement: SettlementTransfer[] = [];
  const open = statements.map((s) => ({ id: s.municipalityId, net: s.netCents }));
  for (;;) {
    const debtor = open.filter((o) => o.net > 0).sort((a, b) => b.net - a.net)[0];
    const creditor = open.filter((o) => o.net < 0).sort((a, b) => a.net - b.net)[0];
    if (!debtor || !creditor) break;
    const amountCents = Math.min(debtor.net, -creditor.net);
    settlement.push({
      fromMunicipalityId: debtor.id,
      fromMunicipalityName: memberName.get(debtor.id)!,
      toMunicipalityId: creditor.id,
      toMunicipalityName: memberName.get(creditor.id)!,
      amountCents,
    });
    debtor.net -= amountCents;
    creditor.net += amountCents;
  }

  return {
    poolId: '6f1c2f4e-2a8b-4c61-9d3e-0a0b0c0d0e0f',
    poolName: options.poolName ?? 'Bauhof-Verbund Werra-Meißner',
    period,
    periodKind: 'month',
    from: `${period}-01`,
    to,
    language: options.language ?? 'de',
    finalized: options.finalized ?? false,
    finalizedAt: options.finalized ? `${to}T05:00:00.000Z` : null,
    poolTotalCents: statements.reduce((a, s) => a + s.totalCents, 0),
    keyDescription: 'Einwohnerzahl',
    statements,
    settlement,
  };
}

/** Deterministic pseudo-random numbers (mulberry32) for larger synthetic pools. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['Kehrmaschine', 'Kanal-TV-Kamera', 'Bagger', 'Hubsteiger', 'Mulcher', 'Schneepflug'];

/** A synthetic pool of `memberCount` members with `usagesPerMember` booking lines each. */
export function syntheticStatements(memberCount: number, usagesPerMember: number, seed = 1): PoolStatements {
  const rnd = prng(seed);
  const uuid = (prefix: number, i: number) =>
    `${String(prefix).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const members: FixtureMember[] = Array.from({ length: memberCount }, (_, i) => ({
    id: uuid(1, i),
    name: `Gemeinde Nr. ${i + 1} (Großörtchen)`,
    population: 800 + Math.floor(rnd() * 20_000),
  }));
  const resources: FixtureResource[] = Array.from(
    { length: Math.max(4, Math.ceil(memberCount / 5)) },
    (_, i) => ({
      id: uuid(2, i),
      name: `${TYPES[i % TYPES.length]} ${i + 1}`,
      ownerId: members[i % memberCount].id,
      hourlyRateCents: 4_000 + Math.floor(rnd() * 12_000),
      perUseCents: rnd() < 0.5 ? 0 : 2_500,
      fixedCents: 50_000 + Math.floor(rnd() * 400_000),
    }),
  );
  const usages: FixtureUsage[] = members.flatMap((mm) =>
    Array.from({ length: usagesPerMember }, (_, k) => ({
      memberId: mm.id,
      resourceId: resources[Math.floor(rnd() * resources.length)].id,
      date: `2026-11-${String(1 + (k % 30)).padStart(2, '0')}`,
      hours: Math.round((0.5 + rnd() * 8) * 4) / 4,
      estimated: rnd() < 0.05,
    })),
  );
  return buildStatements(members, resources, usages, { overheadCents: 100_000, savings: true });
}
