import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { DomainError, ErrorCode } from '@allmende/core';
import type { PoolStatements } from '../statement-document';
import { buildStatements, FixtureMember, FixtureResource, FixtureUsage } from './statement-fixture';
import { StatementRenderer } from './statement-renderer';

const M = {
  eschwege: { id: '11111111-1111-4111-8111-111111111111', name: 'Eschwege', population: 19_500 },
  witzenhausen: { id: '22222222-2222-4222-8222-222222222222', name: 'Witzenhausen', population: 14_800 },
  grossalmerode: { id: '33333333-3333-4333-8333-333333333333', name: 'Großalmerode', population: 6_300 },
  soodenAllendorf: {
    id: '44444444-4444-4444-8444-444444444444',
    name: 'Bad Sooden-Allendorf',
    population: 8_200,
  },
} satisfies Record<string, FixtureMember>;

const R: FixtureResource[] = [
  {
    id: 'r-kehr',
    name: 'Kehrmaschine Eschwege',
    ownerId: M.eschwege.id,
    hourlyRateCents: 9_500,
    perUseCents: 0,
    fixedCents: 302_550,
  },
  {
    id: 'r-kanal',
    name: 'Kanal-TV-Kamera Witzenhausen',
    ownerId: M.witzenhausen.id,
    hourlyRateCents: 12_075,
    perUseCents: 4_500,
    fixedCents: 141_667,
  },
  {
    id: 'r-hub',
    name: 'Hubsteiger Großalmerode',
    ownerId: M.grossalmerode.id,
    hourlyRateCents: 6_850,
    perUseCents: 0,
    fixedCents: 87_500,
  },
  {
    id: 'r-mulch',
    name: 'Mulcher Bad Sooden-Allendorf (Auslegermäher mit Schlegelmulchkopf, 1,2 m)',
    ownerId: M.soodenAllendorf.id,
    hourlyRateCents: 5_425,
    perUseCents: 1_500,
    fixedCents: 66_000,
  },
];

/** Eschwege books a lot (its statement runs over pages), the others a few times each. */
function usages(): FixtureUsage[] {
  const list: FixtureUsage[] = [];
  for (let d = 2; d <= 28; d++) {
    const date = `2026-11-${String(d).padStart(2, '0')}`;
    list.push({ memberId: M.eschwege.id, resourceId: R[d % 4].id, date, hours: 2 + (d % 5) * 1.25 });
    if (d % 2 === 0)
      list.push({ memberId: M.eschwege.id, resourceId: 'r-kehr', date, hours: 3.5, estimated: d === 10 });
  }
  for (let d = 3; d <= 27; d += 4) {
    const date = `2026-11-${String(d).padStart(2, '0')}`;
    list.push({ memberId: M.witzenhausen.id, resourceId: 'r-kehr', date, hours: 4.25 });
    list.push({ memberId: M.grossalmerode.id, resourceId: 'r-kanal', date, hours: 1.5 });
    list.push({ memberId: M.soodenAllendorf.id, resourceId: 'r-hub', date, hours: 6 });
  }
  return list;
}

function fixture(options: Parameters<typeof buildStatements>[3] = {}): PoolStatements {
  return buildStatements(Object.values(M), R, usages(), {
    overheadCents: 100_000,
    hostId: M.eschwege.id,
    adjustments: [
      {
        memberId: M.witzenhausen.id,
        amountCents: -12_345,
        description: 'Korrektur Oktober 2026: Buchung storniert (Kehrmaschine, 14.10.2026)',
      },
    ],
    savings: true,
    ...options,
  });
}

const renderer = new StatementRenderer();
const workDir = mkdtempSync(join(tmpdir(), 'allmende-statements-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function pdfText(body: Buffer, name: string): string {
  const file = join(workDir, name);
  writeFileSync(file, body);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
    /\u00a0/g,
    ' ',
  );
}

function pageCount(body: Buffer, name: string): number {
  const file = join(workDir, name);
  writeFileSync(file, body);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)![1]);
}

/** "1.234,56" / "-12,30" (German CSV) as cents. */
function cents(text: string): number {
  const [euros, fraction] = text.split(',');
  const sign = euros.startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(euros.replace(/\./g, ''))) * 100 + Number(fraction));
}

/** A minimal reader for the semicolon CSV (quotes doubled inside quoted cells). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const euro = (c: number) =>
  new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' })
    .format(c / 100)
    .replace(/\u00a0/g, ' ');

describe('the fixture is consistent (what the renderers may rely on)', () => {
  it('has totals that add up, nets that sum to zero and a settlement that balances', () => {
    const doc = fixture();
    expect(doc.statements.reduce((a, s) => a + s.netCents, 0)).toBe(0);
    expect(doc.statements.reduce((a, s) => a + s.totalCents, 0)).toBe(doc.poolTotalCents);
    expect(doc.statements.find((s) => s.municipalityId === M.eschwege.id)!.lines.length).toBeGreaterThan(30);
    const balance = new Map(doc.statements.map((s) => [s.municipalityId, s.netCents]));
    for (const t of doc.settlement) {
      balance.set(t.fromMunicipalityId, balance.get(t.fromMunicipalityId)! - t.amountCents);
      balance.set(t.toMunicipalityId, balance.get(t.toMunicipalityId)! + t.amountCents);
    }
    expect([...balance.values()].every((v) => v === 0)).toBe(true);
  });
});

describe('CSV as German Excel opens it', () => {
  it('is UTF-8 with BOM, semicolons, CRLF, decimal commas and German dates, and matches the JSON to the cent', async () => {
    const doc = fixture();
    const file = await renderer.render(doc, 'csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    expect(file.filename).toBe('Kostenabrechnung-Bauhof-Verbund-Werra-Meissner-2026-11.csv');
    expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = file.body.toString('utf8').slice(1);
    expect(text).toContain('\r\n');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(text).toContain('Großalmerode');
    expect(text).toContain('01.11.2026;30.11.2026');

    const rows = parseCsv(text);
    const lineHeader = rows.findIndex((r) => r[0] === 'Gemeinde' && r[2] === 'Art');
    const summaryHeader = rows.findIndex(
      (r, i) => i > lineHeader && r[0] === 'Gemeinde' && r[2] === 'Nutzung',
    );
    const lines = rows.slice(lineHeader + 1, summaryHeader - 1);
    expect(lines.length).toBe(doc.statements.reduce((a, s) => a + s.lines.length, 0));
    for (const s of doc.statements) {
      const mine = lines.filter((r) => r[0] === s.municipalityName);
      expect(mine.map((r) => cents(r[7]))).toEqual(s.lines.map((l) => l.amountCents));
      const usage = s.lines.find((l) => l.kind === 'usage')!;
      const row = mine.find((r) => r[2] === 'Nutzung')!;
      expect(row[3]).toBe(usage.date!.split('-').reverse().join('.'));
      expect(row[5]).toBe(String(usage.hours).replace('.', ','));
      const summary = rows[summaryHeader + 1 + doc.statements.indexOf(s)];
      expect(summary.slice(2, 8).map(cents)).toEqual([
        s.usageCents,
        s.fixedCents,
        s.adjustmentsCents,
        s.totalCents,
        s.creditsCents,
        s.netCents,
      ]);
    }
    const settlementHeader = rows.findIndex((r) => r[0] === 'Kostenausgleich');
    const transfers = rows.slice(settlementHeader + 1).filter((r) => r.length > 3);
    expect(transfers.map((r) => [r[1], r[2], cents(r[3])])).toEqual(
      doc.settlement.map((t) => [t.fromMunicipalityName, t.toMunicipalityName, t.amountCents]),
    );
  });

  it("keeps text a spreadsheet would run as a formula as text, and renders one member's statement alone", async () => {
    const doc = fixture();
    doc.statements[1].lines[0].description = '=HYPERLINK("http://example.test")';
    const file = await renderer.render(doc, 'csv', M.witzenhausen.id);
    expect(file.filename).toBe('Kostenabrechnung-Bauhof-Verbund-Werra-Meissner-2026-11-Witzenhausen.csv');
    const rows = parseCsv(file.body.toString('utf8').slice(1));
    expect(rows.some((r) => r.includes(`'=HYPERLINK("http://example.test")`))).toBe(true);
    expect(rows.some((r) => r[0] === 'Eschwege' && r[2] === 'Nutzung')).toBe(false);
  });
});

describe('XLSX', () => {
  it('has a summary and a sheet per member whose numbers match the JSON to the cent, formatted as EUR', async () => {
    const doc = fixture({ finalized: true });
    const file = await renderer.render(doc, 'xlsx');
    expect(file.filename).toBe('Kostenabrechnung-Bauhof-Verbund-Werra-Meissner-2026-11.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Übersicht',
      ...doc.statements.map((s) => s.municipalityName),
    ]);
    const toCents = (v: ExcelJS.CellValue) => {
      // exceljs reads a formula's cached 0 back as no result (it writes <v>0</v>)
      const n =
        typeof v === 'object' && v !== null && 'formula' in v
          ? ((v as { result?: number }).result ?? 0)
          : (v as number);
      return Math.round(n * 100);
    };

    const summary = book.getWorksheet('Übersicht')!;
    for (const s of doc.statements) {
      let found: ExcelJS.Row | undefined;
      summary.eachRow((row) => {
        if (row.getCell(1).value === s.municipalityName && !found) found = row;
      });
      expect(found).toBeDefined();
      expect(found!.getCell(2).value).toBe(s.number);
      expect([3, 4, 5, 6, 7, 8].map((c) => toCents(found!.getCell(c).value))).toEqual([
        s.usageCents,
        s.fixedCents,
        s.adjustmentsCents,
        s.totalCents,
        s.creditsCents,
        s.netCents,
      ]);
      expect(found!.getCell(6).numFmt).toContain('€');
      expect(typeof found!.getCell(6).value).toBe('number');
    }
    let totals: ExcelJS.Row | undefined;
    summary.eachRow((row) => {
      if (row.getCell(1).value === 'Kosten des Verbunds') totals = row;
    });
    const total = totals!.getCell(6).value as ExcelJS.CellFormulaValue;
    expect(total.formula).toMatch(/^SUM\(F\d+:F\d+\)$/);
    expect(toCents(total)).toBe(doc.poolTotalCents);
    expect(toCents(totals!.getCell(8).value)).toBe(0);

    for (const s of doc.statements) {
      const sheet = book.getWorksheet(s.municipalityName)!;
      const rows: ExcelJS.Row[] = [];
      let inTable = false;
      sheet.eachRow({ includeEmpty: true }, (row) => {
        if (row.getCell(2).value === 'Art') inTable = true;
        else if (inTable && !row.getCell(2).value) inTable = false;
        else if (inTable) rows.push(row);
      });
      expect(rows.map((r) => toCents(r.getCell(7).value))).toEqual(s.lines.map((l) => l.amountCents));
      const firstUsage = rows.find((r) => r.getCell(2).value === 'Nutzung')!;
      expect((firstUsage.getCell(1).value as Date).toISOString().slice(0, 10)).toBe(s.lines[0].date);
      expect(firstUsage.getCell(1).numFmt).toBe('dd.mm.yyyy');
      expect(firstUsage.getCell(7).numFmt).toContain('€');
    }
  });
});

describe('PDF a treasurer files', () => {
  it("holds the member's totals in German format, page numbers, the key, the settlement and the saving", async () => {
    const doc = fixture({ finalized: true });
    const eschwege = doc.statements.find((s) => s.municipalityId === M.eschwege.id)!;
    const file = await renderer.render(doc, 'pdf', M.eschwege.id);
    expect(file.contentType).toBe('application/pdf');
    expect(file.filename).toBe('Kostenabrechnung-Bauhof-Verbund-Werra-Meissner-2026-11-Eschwege.pdf');
    const pages = pageCount(file.body, 'eschwege.pdf');
    expect(pages).toBeGreaterThanOrEqual(2);
    const text = pdfText(file.body, 'eschwege.pdf');

    expect(text).toContain('BAUHOF-VERBUND WERRA-MEISSNER');
    expect(text).toContain('Kostenabrechnung');
    expect(text).toContain('November 2026 (01.11.2026 – 30.11.2026)');
    expect(text).toContain('Gemeinde: Eschwege');
    expect(text).toContain(`Abrechnungsnummer ${eschwege.number}`);
    expect(text).toContain(eschwege.checksum!);
    expect(text).not.toContain('ENTWURF');
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Seite ${p} von ${pages}`);

    expect(text).toMatch(new RegExp(`Summe Kosten\\s+${escape(euro(eschwege.totalCents))}`));
    expect(text).toMatch(new RegExp(`Gutschriften\\s+${escape(euro(-eschwege.creditsCents))}`));
    expect(text).toMatch(new RegExp(`Saldo \\([^)]*\\)\\s+${escape(euro(eschwege.netCents))}`));
    expect(euro(123456)).toBe('1.234,56 €');

    // every line of the table: date, hours, rate and amount as a treasurer reads them
    const usage = eschwege.lines.find((l) => l.kind === 'usage')!;
    expect(text).toContain('02.11.2026');
    expect(text).toContain(euro(usage.amountCents));
    expect(text).toContain(`${euro(usage.rateCents!)}/h`);
    expect(text).toContain('3,5*');
    expect(text).toContain('Nutzung nicht erfasst');
    const fixedLine = eschwege.lines.find((l) => l.kind === 'fixed')!;
    expect(text).toContain(fixedLine.basis!);
    expect(text).toContain('Verteilungsschlüssel');
    expect(text).toContain('Einwohnerzahl');

    expect(text).toContain('Kostenausgleich');
    for (const t of doc.settlement.filter(
      (t) => t.fromMunicipalityId === M.eschwege.id || t.toMunicipalityId === M.eschwege.id,
    )) {
      expect(text).toContain(
        `${t.fromMunicipalityName} zahlt ${euro(t.amountCents)} an ${t.toMunicipalityName}`,
      );
    }
    expect(text).toContain('Nutzen der Kooperation');
    expect(text).toContain(euro(eschwege.savings!.savingCents));
  });

  it('marks a draft on every page, and without a member renders the summary and every statement', async () => {
    const doc = fixture();
    const file = await renderer.render(doc, 'pdf');
    const pages = pageCount(file.body, 'pool.pdf');
    const text = pdfText(file.body, 'pool.pdf');
    expect(pages).toBeGreaterThanOrEqual(doc.statements.length + 1);
    expect(text).toContain('ENTWURF');
    const pageTexts = text.split('\f').filter((p) => p.trim());
    expect(pageTexts).toHaveLength(pages);
    expect(pageTexts.every((p) => /Entwurf/.test(p))).toBe(true);
    expect(text).toContain('Übersicht');
    expect(text).toMatch(new RegExp(`Kosten des Verbunds\\s+${escape(euro(doc.poolTotalCents))}`));
    for (const s of doc.statements) expect(text).toContain(`Gemeinde: ${s.municipalityName}`);
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Seite ${p} von ${pages}`);
    expect(text).toContain('Großalmerode');
    expect(text).toContain('Bad Sooden-Allendorf');
  });

  it("names the sum row for what it sums: a finance user's own statement is not the pool's costs", async () => {
    const full = fixture();
    const own = { ...full, statements: [full.statements[0]] };
    const text = pdfText((await renderer.render(own, 'pdf')).body, 'own.pdf');
    const totalShown = euro(own.statements[0].totalCents);
    expect(text).toMatch(new RegExp(`Kosten des Verbunds\\s+${escape(euro(full.poolTotalCents))}`));
    expect(text).toMatch(new RegExp(`Summe\\s+${escape(totalShown)}`));
    expect(text).not.toMatch(new RegExp(`Kosten des Verbunds\\s+${escape(totalShown)}`));
  });

  it('speaks English when the statements are in English', async () => {
    const doc = fixture({ language: 'en', finalized: true });
    const file = await renderer.render(doc, 'pdf', M.witzenhausen.id);
    expect(file.filename).toBe('Cost-statement-Bauhof-Verbund-Werra-Meissner-2026-11-Witzenhausen.pdf');
    const text = pdfText(file.body, 'en.pdf');
    const s = doc.statements.find((x) => x.municipalityId === M.witzenhausen.id)!;
    expect(text).toContain('Cost statement');
    expect(text).toContain('November 2026 (01/11/2026 – 30/11/2026)');
    expect(text).toContain('Page 1 of');
    const en = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(
      s.totalCents / 100,
    );
    expect(text).toMatch(new RegExp(`Total costs\\s+${escape(en)}`));
    expect(text).toContain('What pooling saves');
  });
});

describe('StatementRenderer', () => {
  it("gives a member's mail attachments: the PDF and the XLSX with ASCII-safe names", async () => {
    const doc = fixture({ poolName: 'Zweckverband Straßen & Grün / Süd' });
    const files = await renderer.attachmentsFor(doc, M.grossalmerode.id);
    expect(files.map((f) => f.filename)).toEqual([
      'Kostenabrechnung-Zweckverband-Strassen-Gruen-Sued-2026-11-Grossalmerode.pdf',
      'Kostenabrechnung-Zweckverband-Strassen-Gruen-Sued-2026-11-Grossalmerode.xlsx',
    ]);
    expect(files[0].body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(files[1].body.subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses a member that has no statement in the document', async () => {
    await expect(
      renderer.render(fixture(), 'pdf', '99999999-9999-4999-8999-999999999999'),
    ).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
    await expect(renderer.render(fixture(), 'csv', 'nobody')).rejects.toBeInstanceOf(DomainError);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
