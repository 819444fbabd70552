import type { StatementLineKind } from '../statement-document';
import type { Language } from './format';

/** Every word the statement documents print, in both languages, in one place. */
export interface StatementLabels {
  title: string;
  fileStem: string;
  pool: string;
  period: string;
  member: string;
  number: string;
  checksum: string;
  finalizedAt: string;
  draft: string;
  draftNotice: string;
  status: string;
  finalized: string;
  key: string;
  keyExplained: (key: string) => string;
  date: string;
  kind: string;
  resource: string;
  description: string;
  basis: string;
  hours: string;
  rate: string;
  ratePerHour: string;
  amount: string;
  estimated: string;
  estimatedNote: string;
  yes: string;
  kinds: Record<StatementLineKind, string>;
  sections: { charges: string; credits: string };
  usage: string;
  fixed: string;
  adjustments: string;
  total: string;
  credits: string;
  net: string;
  netExplained: (netCents: number) => 'owes' | 'owed' | 'even';
  netWords: { owes: string; owed: string; even: string };
  poolTotal: string;
  /** The sum row when the document shows only some members (a finance user's own municipality). */
  shownTotal: string;
  summary: string;
  members: string;
  settlement: string;
  settlementNone: string;
  from: string;
  to: string;
  pays: (from: string, to: string, amount: string) => string;
  savings: string;
  savingsFields: {
    paidNet: string;
    standalone: string;
    saving: string;
    earned: string;
    basis: string;
  };
  page: (n: number, of: number) => string;
  lines: string;
}

const netExplained = (netCents: number) => (netCents > 0 ? 'owes' : netCents < 0 ? 'owed' : 'even');

export const LABELS: Record<Language, StatementLabels> = {
  de: {
    title: 'Kostenabrechnung',
    fileStem: 'Kostenabrechnung',
    pool: 'Kooperationsverbund',
    period: 'Zeitraum',
    member: 'Gemeinde',
    number: 'Abrechnungsnummer',
    checksum: 'Prüfsumme (SHA-256)',
    finalizedAt: 'Abgeschlossen am',
    draft: 'Entwurf',
    draftNotice: 'Entwurf – der Zeitraum ist noch nicht abgeschlossen; die Beträge können sich noch ändern.',
    status: 'Status',
    finalized: 'abgeschlossen',
    key: 'Verteilungsschlüssel',
    keyExplained: (key) =>
      `Die Fixkosten des Verbunds (Jahresfixkosten der Maschinen und Personal, Verwaltungskosten der ` +
      `Koordinationseinheit) werden nach dem Schlüssel „${key}“ verteilt, anteilig auf den Zeitraum und ` +
      `die Tage der Mitgliedschaft; die Grundlage steht bei jedem Anteil. Nutzungskosten (Betriebsstunden × ` +
      `Stundensatz, Einsatzpauschalen) trägt die Gemeinde, die gebucht hat. Die Eigentümerin einer Maschine ` +
      `trägt deren Kosten und erhält dafür die Anteile und Nutzungsentgelte der anderen als Gutschrift.`,
    date: 'Datum',
    kind: 'Art',
    resource: 'Ressource',
    description: 'Beschreibung',
    basis: 'Grundlage',
    hours: 'Stunden',
    rate: 'Satz',
    ratePerHour: 'Satz (EUR/h)',
    amount: 'Betrag',
    estimated: 'geschätzt',
    estimatedNote: '* Nutzung nicht erfasst: nach der Regel des Verbunds berechnet (gebuchte Stunden).',
    yes: 'ja',
    kinds: { usage: 'Nutzung', fixed: 'Fixkosten', adjustment: 'Korrektur', credit: 'Gutschrift' },
    sections: { charges: 'Kosten', credits: 'Gutschriften' },
    usage: 'Nutzung',
    fixed: 'Fixkostenanteil',
    adjustments: 'Korrekturen',
    total: 'Summe Kosten',
    credits: 'Gutschriften',
    net: 'Saldo',
    netExplained,
    netWords: {
      owes: 'zu zahlen an den Verbund',
      owed: 'Guthaben aus dem Verbund',
      even: 'ausgeglichen',
    },
    poolTotal: 'Kosten des Verbunds',
    shownTotal: 'Summe',
    summary: 'Übersicht',
    members: 'Mitglieder',
    settlement: 'Kostenausgleich',
    settlementNone: 'Keine Ausgleichszahlungen nötig.',
    from: 'Von',
    to: 'An',
    pays: (from, to, amount) => `${from} zahlt ${amount} an ${to}`,
    savings: 'Nutzen der Kooperation',
    savingsFields: {
      paidNet: 'Netto im Verbund gezahlt',
      standalone: 'Kosten allein',
      saving: 'Ersparnis',
      earned: 'Einnahmen aus der Nutzung eigener Maschinen durch andere',
      basis: 'Vergleichsgrundlage',
    },
    page: (n, of) => `Seite ${n} von ${of}`,
    lines: 'Positionen',
  },
  en: {
    title: 'Cost statement',
    fileStem: 'Cost-statement',
    pool: 'Pool',
    period: 'Period',
    member: 'Municipality',
    number: 'Statement number',
    checksum: 'Checksum (SHA-256)',
    finalizedAt: 'Finalized on',
    draft: 'Draft',
    draftNotice: 'Draft – the period is not finalized yet; amounts may still change.',
    status: 'Status',
    finalized: 'finalized',
    key: 'Cost-sharing key',
    keyExplained: (key) =>
      `The pool's fixed costs (the annual fixed costs of machines and staff, the coordination unit's ` +
      `overhead) are split by the key "${key}", prorated to the period and to the days of membership; each ` +
      `share states its basis. Usage costs (operating hours × hourly rate, per-use fees) are charged to the ` +
      `municipality that booked. A machine's owner carries its costs and is credited the others' shares ` +
      `and usage charges.`,
    date: 'Date',
    kind: 'Kind',
    resource: 'Resource',
    description: 'Description',
    basis: 'Basis',
    hours: 'Hours',
    rate: 'Rate',
    ratePerHour: 'Rate (EUR/h)',
    amount: 'Amount',
    estimated: 'estimated',
    estimatedNote: "* Usage not recorded: charged by the pool's rule (booked hours).",
    yes: 'yes',
    kinds: { usage: 'Usage', fixed: 'Fixed costs', adjustment: 'Adjustment', credit: 'Credit' },
    sections: { charges: 'Costs', credits: 'Credits' },
    usage: 'Usage',
    fixed: 'Share of fixed costs',
    adjustments: 'Adjustments',
    total: 'Total costs',
    credits: 'Credits',
    net: 'Net balance',
    netExplained,
    netWords: { owes: 'to pay into the pool', owed: 'owed by the pool', even: 'balanced' },
    poolTotal: 'Pool costs',
    shownTotal: 'Total',
    summary: 'Summary',
    members: 'Members',
    settlement: 'Settlement',
    settlementNone: 'No transfers needed.',
    from: 'From',
    to: 'To',
    pays: (from, to, amount) => `${from} pays ${amount} to ${to}`,
    savings: 'What pooling saves',
    savingsFields: {
      paidNet: 'Paid net in the pool',
      standalone: 'Cost alone',
      saving: 'Saving',
      earned: "Earned from others' use of own machines",
      basis: 'Basis of comparison',
    },
    page: (n, of) => `Page ${n} of ${of}`,
    lines: 'Lines',
  },
};

/** "Kosten des Verbunds" under a table of every member, "Summe" under a part of them. */
export function sumRowLabel(t: StatementLabels, poolTotalCents: number, shownTotalCents: number): string {
  return shownTotalCents === poolTotalCents ? t.poolTotal : t.shownTotal;
}
