// pdfkit (with fontkit and its fonts) is loaded on the first PDF only, not by every process.
import type PDFDocument from 'pdfkit';
import type { MemberStatement, PoolStatements, StatementLine } from '../statement-document';
import {
  dayBefore,
  formatDate,
  formatDecimal,
  formatEuros,
  formatInstant,
  formatPeriod,
  Language,
} from './format';
import { LABELS, StatementLabels, sumRowLabel } from './labels';
import { statementsOf } from './select';

type Doc = InstanceType<typeof PDFDocument>;

/**
 * A4 with the standard Helvetica: its WinAnsi encoding has the umlauts, ß, „“, – and €, so the
 * PDF embeds no font file and stays small (100 statements render in well under a second each).
 */
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 56, right: 48, top: 56, bottom: 64 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const GREY = '#555555';
const RULE = '#999999';

/** The line table: date, resource and text, hours, rate, amount. */
const COLUMNS = [
  { key: 'date', width: 62, align: 'left' },
  { key: 'text', width: 227, align: 'left' },
  { key: 'hours', width: 50, align: 'right' },
  { key: 'rate', width: 72, align: 'right' },
  { key: 'amount', width: CONTENT_WIDTH - 62 - 227 - 50 - 72, align: 'right' },
] as const;
const CELL_GAP = 6;

interface PageInfo {
  /** The running footer's left part: pool, member, statement number. */
  footer: string;
}

class StatementPdf {
  private readonly t: StatementLabels;
  private readonly lang: Language;
  private readonly pages: PageInfo[] = [];
  private footer = '';
  private runningHeader = '';

  constructor(
    private readonly pdf: Doc,
    private readonly doc: PoolStatements,
  ) {
    this.lang = doc.language;
    this.t = LABELS[doc.language];
  }

  private euros(cents: number): string {
    return formatEuros(cents, this.lang);
  }

  private periodText(): string {
    const d = this.doc;
    return `${formatPeriod(d.period, d.periodKind, this.lang)} (${formatDate(d.from, this.lang)} – ${formatDate(dayBefore(d.to), this.lang)})`;
  }

  /** A new page with the running header; the first page of a member has its own big header. */
  newPage(running: boolean): void {
    if (this.pages.length > 0) this.pdf.addPage();
    this.pages.push({ footer: this.footer });
    this.pdf.x = MARGIN.left;
    this.pdf.y = MARGIN.top;
    if (running && this.runningHeader) {
      this.pdf
        .font(FONT)
        .fontSize(8)
        .fillColor(GREY)
        .text(this.runningHeader, MARGIN.left, MARGIN.top - 24, {
          width: CONTENT_WIDTH,
          lineBreak: false,
        });
      this.pdf.fillColor('black');
      this.pdf.y = MARGIN.top;
    }
  }

  private ensureSpace(height: number, onBreak?: () => void): void {
    if (this.pdf.y + height <= BOTTOM) return;
    this.newPage(true);
    onBreak?.();
  }

  private title(subtitle: string): void {
    const { pdf, doc, t } = this;
    pdf.font(BOLD).fontSize(9).fillColor(GREY).text(doc.poolName.toUpperCase(), MARGIN.left, pdf.y, {
      width: CONTENT_WIDTH,
      characterSpacing: 0.5,
    });
    pdf.moveDown(0.2);
    pdf.font(BOLD).fontSize(20).fillColor('black').text(t.title, { width: CONTENT_WIDTH });
    pdf.font(FONT).fontSize(11).text(`${t.period}: ${this.periodText()}`, { width: CONTENT_WIDTH });
    pdf.moveDown(0.3);
    pdf.font(BOLD).fontSize(13).text(subtitle, { width: CONTENT_WIDTH });
    pdf.moveDown(0.3);
    if (!doc.finalized) {
      pdf.font(BOLD).fontSize(10).fillColor('#B00020').text(`${t.draft.toUpperCase()}`, { continued: true });
      pdf
        .font(FONT)
        .fillColor('#B00020')
        .text(` – ${t.draftNotice.replace(/^[^–]*– /, '')}`, { width: CONTENT_WIDTH });
      pdf.fillColor('black');
    } else if (doc.finalizedAt) {
      pdf
        .font(FONT)
        .fontSize(9)
        .text(`${t.finalizedAt}: ${formatInstant(doc.finalizedAt, this.lang)}`);
    }
    pdf.moveDown(0.6);
  }

  private keyValue(label: string, value: string, options: { bold?: boolean; size?: number } = {}): void {
    const { pdf } = this;
    const size = options.size ?? 10;
    const labelWidth = 150;
    const y = pdf.y;
    pdf.font(FONT).fontSize(size).fillColor(GREY).text(label, MARGIN.left, y, { width: labelWidth });
    const afterLabel = pdf.y;
    pdf
      .font(options.bold ? BOLD : FONT)
      .fillColor('black')
      .text(value, MARGIN.left + labelWidth, y, {
        width: CONTENT_WIDTH - labelWidth,
      });
    pdf.y = Math.max(afterLabel, pdf.y);
    pdf.x = MARGIN.left;
  }

  private sectionHeading(text: string): void {
    this.ensureSpace(40);
    this.pdf.moveDown(0.6);
    this.pdf
      .font(BOLD)
      .fontSize(12)
      .fillColor('black')
      .text(text, MARGIN.left, this.pdf.y, { width: CONTENT_WIDTH });
    this.pdf.moveDown(0.3);
  }

  private rule(y = this.pdf.y, color = RULE): void {
    this.pdf
      .moveTo(MARGIN.left, y)
      .lineTo(MARGIN.left + CONTENT_WIDTH, y)
      .lineWidth(0.5)
      .strokeColor(color)
      .stroke();
  }

  private tableHeader(): void {
    const { pdf, t } = this;
    const cells = [t.date, `${t.resource} / ${t.description}`, t.hours, t.rate, t.amount];
    const y = pdf.y;
    let x = MARGIN.left;
    pdf.font(BOLD).fontSize(8.5).fillColor('black');
    COLUMNS.forEach((c, i) => {
      pdf.text(cells[i], x, y, { width: c.width - CELL_GAP, align: c.align, lineBreak: false });
      x += c.width;
    });
    pdf.y = y + 13;
    this.rule(pdf.y - 2, 'black');
    pdf.y += 3;
  }

  /** One line of the table; wraps the text and moves to a new page (with the header) when full. */
  private tableRow(line: StatementLine): void {
    const { pdf } = this;
    const textWidth = COLUMNS[1].width - CELL_GAP;
    const main =
      line.resourceName && line.kind === 'usage'
        ? `${line.resourceName}: ${line.description}`
        : line.description;
    pdf.font(FONT).fontSize(8.5);
    const mainHeight = pdf.heightOfString(main, { width: textWidth });
    pdf.fontSize(7.5);
    const basisHeight = line.basis ? pdf.heightOfString(line.basis, { width: textWidth }) + 1 : 0;
    const height = mainHeight + basisHeight + 4;
    this.ensureSpace(height, () => this.tableHeader());

    const y = pdf.y;
    const hours =
      line.hours === undefined
        ? ''
        : `${formatDecimal(line.hours, this.lang, 0, 2)}${line.usageEstimated ? '*' : ''}`;
    const rate = line.rateCents === undefined ? '' : `${this.euros(line.rateCents)}/h`;
    const cells = [
      line.date ? formatDate(line.date, this.lang) : '',
      main,
      hours,
      rate,
      this.euros(line.amountCents),
    ];
    let x = MARGIN.left;
    COLUMNS.forEach((c, i) => {
      pdf.font(FONT).fontSize(8.5).fillColor('black');
      if (i === 1) pdf.text(cells[i], x, y, { width: textWidth });
      else pdf.text(cells[i], x, y, { width: c.width - CELL_GAP, align: c.align, lineBreak: false });
      x += c.width;
    });
    if (line.basis) {
      pdf
        .font(FONT)
        .fontSize(7.5)
        .fillColor(GREY)
        .text(line.basis, MARGIN.left + COLUMNS[0].width, y + mainHeight + 1, {
          width: textWidth,
        });
      pdf.fillColor('black');
    }
    pdf.y = y + height;
    pdf.x = MARGIN.left;
  }

  private tableGroup(title: string, lines: StatementLine[]): void {
    if (lines.length === 0) return;
    this.ensureSpace(40, () => this.tableHeader());
    this.pdf
      .font(BOLD)
      .fontSize(9)
      .fillColor('black')
      .text(title, MARGIN.left, this.pdf.y + 2, { width: CONTENT_WIDTH });
    this.pdf.y += 2;
    for (const line of lines) this.tableRow(line);
  }

  private totalRow(label: string, cents: number, strong = false): void {
    const { pdf } = this;
    this.ensureSpace(16);
    const y = pdf.y;
    const amountX = MARGIN.left + CONTENT_WIDTH - COLUMNS[4].width;
    pdf
      .font(strong ? BOLD : FONT)
      .fontSize(strong ? 10 : 9.5)
      .fillColor('black');
    pdf.text(label, MARGIN.left + COLUMNS[0].width, y, {
      width: amountX - MARGIN.left - COLUMNS[0].width - CELL_GAP,
    });
    const after = pdf.y;
    pdf.text(this.euros(cents), amountX, y, {
      width: COLUMNS[4].width - CELL_GAP,
      align: 'right',
      lineBreak: false,
    });
    pdf.y = Math.max(after, y + 13) + 1;
    pdf.x = MARGIN.left;
  }

  private paragraph(text: string, size = 9): void {
    const { pdf } = this;
    pdf.font(FONT).fontSize(size);
    this.ensureSpace(pdf.heightOfString(text, { width: CONTENT_WIDTH }) + 4);
    pdf.fillColor('black').text(text, MARGIN.left, pdf.y, { width: CONTENT_WIDTH });
    pdf.moveDown(0.3);
  }

  member(s: MemberStatement, transfersOf: (s: MemberStatement) => PoolStatements['settlement']): void {
    const { pdf, doc, t } = this;
    this.footer = [doc.poolName, s.municipalityName, s.number ? `${t.number} ${s.number}` : t.draft].join(
      ' · ',
    );
    this.runningHeader = `${t.title} ${formatPeriod(doc.period, doc.periodKind, this.lang)} · ${s.municipalityName}`;
    this.newPage(false);
    this.title(`${t.member}: ${s.municipalityName}`);
    if (s.number) this.keyValue(t.number, s.number, { bold: true });
    if (s.checksum) this.keyValue(t.checksum, s.checksum, { size: 8 });
    this.keyValue(t.key, doc.keyDescription);
    pdf.moveDown(0.8);

    this.tableHeader();
    const charges = s.lines.filter((l) => l.kind !== 'credit');
    const credits = s.lines.filter((l) => l.kind === 'credit');
    this.tableGroup(t.sections.charges, charges);
    this.tableGroup(t.sections.credits, credits);
    this.ensureSpace(8);
    this.rule(pdf.y + 2, 'black');
    pdf.y += 6;

    this.ensureSpace(110);
    this.totalRow(t.usage, s.usageCents);
    this.totalRow(t.fixed, s.fixedCents);
    if (s.adjustmentsCents !== 0) this.totalRow(t.adjustments, s.adjustmentsCents);
    this.totalRow(t.total, s.totalCents, true);
    this.totalRow(t.credits, -s.creditsCents);
    this.totalRow(`${t.net} (${t.netWords[t.netExplained(s.netCents)]})`, s.netCents, true);
    if (s.lines.some((l) => l.usageEstimated)) {
      pdf.moveDown(0.3);
      this.paragraph(t.estimatedNote, 8);
    }

    this.sectionHeading(t.key);
    this.paragraph(`${doc.keyDescription}. ${t.keyExplained(doc.keyDescription)}`);

    this.sectionHeading(t.settlement);
    this.settlement(transfersOf(s));

    if (s.savings) this.savings(s);
  }

  private settlement(transfers: PoolStatements['settlement']): void {
    if (transfers.length === 0) {
      this.paragraph(this.t.settlementNone);
      return;
    }
    for (const tr of transfers) {
      this.paragraph(
        this.t.pays(tr.fromMunicipalityName, tr.toMunicipalityName, this.euros(tr.amountCents)),
        9.5,
      );
    }
  }

  private savings(s: MemberStatement): void {
    const { t } = this;
    const v = s.savings!;
    const f = t.savingsFields;
    this.sectionHeading(t.savings);
    this.ensureSpace(80);
    this.keyValue(f.paidNet, this.euros(v.paidNetCents));
    this.keyValue(f.standalone, this.euros(v.standaloneCostCents));
    this.keyValue(
      f.saving,
      `${this.euros(v.savingCents)} (${formatDecimal(v.savingPercent, this.lang, 2, 2)} %)`,
      {
        bold: true,
      },
    );
    this.keyValue(f.earned, this.euros(v.earnedFromOthersCents));
    this.pdf.moveDown(0.3);
    this.paragraph(`${f.basis}: ${v.basis}`, 8.5);
  }

  /** For the whole pool: one page with every member's totals and the settlement before the statements. */
  summary(): void {
    const { pdf, doc, t } = this;
    this.footer = [doc.poolName, t.summary, doc.finalized ? '' : t.draft].filter(Boolean).join(' · ');
    this.runningHeader = `${t.title} ${formatPeriod(doc.period, doc.periodKind, this.lang)} · ${t.summary}`;
    this.newPage(false);
    this.title(t.summary);
    this.keyValue(t.key, doc.keyDescription);
    this.keyValue(t.poolTotal, this.euros(doc.poolTotalCents), { bold: true });
    pdf.moveDown(0.8);

    const cols = [
      { label: t.member, width: 165, align: 'left' as const },
      { label: t.total, width: 110, align: 'right' as const },
      { label: t.credits, width: 110, align: 'right' as const },
      { label: t.net, width: CONTENT_WIDTH - 385, align: 'right' as const },
    ];
    const row = (cells: string[], font: string) => {
      this.ensureSpace(14);
      const y = pdf.y;
      let x = MARGIN.left;
      pdf.font(font).fontSize(9);
      cols.forEach((c, i) => {
        pdf.text(cells[i], x, y, { width: c.width - CELL_GAP, align: c.align, lineBreak: false });
        x += c.width;
      });
      pdf.y = y + 14;
    };
    row(
      cols.map((c) => c.label),
      BOLD,
    );
    this.rule(pdf.y - 3, 'black');
    for (const s of doc.statements) {
      row(
        [s.municipalityName, this.euros(s.totalCents), this.euros(s.creditsCents), this.euros(s.netCents)],
        FONT,
      );
    }
    this.rule(pdf.y - 3, 'black');
    const sum = (pick: (s: MemberStatement) => number) => doc.statements.reduce((a, s) => a + pick(s), 0);
    row(
      [
        sumRowLabel(
          t,
          doc.poolTotalCents,
          sum((s) => s.totalCents),
        ),
        this.euros(sum((s) => s.totalCents)),
        this.euros(sum((s) => s.creditsCents)),
        this.euros(sum((s) => s.netCents)),
      ],
      BOLD,
    );

    this.sectionHeading(t.settlement);
    this.settlement(doc.settlement);
  }

  /** Page numbers, the footer, and the draft watermark, on every page once all are laid out. */
  finish(): void {
    const { pdf, doc, t } = this;
    const range = pdf.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      pdf.switchToPage(i);
      const info = this.pages[i - range.start];
      const bottom = pdf.page.margins.bottom;
      pdf.page.margins.bottom = 0;
      if (!doc.finalized) {
        pdf.save();
        pdf.rotate(-50, { origin: [PAGE.width / 2, PAGE.height / 2] });
        pdf.font(BOLD).fontSize(110).fillColor('#B00020').fillOpacity(0.08);
        pdf.text(t.draft.toUpperCase(), 0, PAGE.height / 2 - 55, {
          width: PAGE.width,
          align: 'center',
          lineBreak: false,
        });
        pdf.restore();
        pdf.fillOpacity(1);
      }
      const y = PAGE.height - MARGIN.bottom + 22;
      this.rule(y - 6);
      pdf.font(FONT).fontSize(7.5).fillColor(GREY);
      pdf.text(info.footer, MARGIN.left, y, { width: CONTENT_WIDTH - 110, lineBreak: false });
      pdf.text(t.page(i - range.start + 1, range.count), MARGIN.left + CONTENT_WIDTH - 110, y, {
        width: 110,
        align: 'right',
        lineBreak: false,
      });
      pdf.fillColor('black');
      pdf.page.margins.bottom = bottom;
    }
  }
}

/**
 * A statement a treasurer files as it is: the pool, "Kostenabrechnung" and the period; the member,
 * its statement number and checksum once finalized (a "Entwurf" label and watermark before); the
 * lines (date, resource, hours, rate, amount) over as many pages as they need; the totals, the key
 * explained, the settlement, what pooling saves where known; "Seite 1 von 3" on every page.
 * Without `memberId`, the whole pool: a summary page, then every member's statement.
 */
export async function renderStatementPdf(doc: PoolStatements, memberId?: string): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const statements = statementsOf(doc, memberId);
  const stamp = new Date(doc.finalizedAt ?? `${doc.to}T00:00:00Z`);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: doc.language,
    info: {
      Title: `${LABELS[doc.language].title} ${doc.poolName} ${doc.period}${memberId ? ` ${statements[0].municipalityName}` : ''}`,
      Author: doc.poolName,
      Creator: 'allmende',
      Producer: 'allmende',
      CreationDate: stamp,
      ModDate: stamp,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const writer = new StatementPdf(pdf, doc);
  const transfersOf = (s: MemberStatement) =>
    doc.settlement.filter(
      (tr) => tr.fromMunicipalityId === s.municipalityId || tr.toMunicipalityId === s.municipalityId,
    );
  if (memberId === undefined) writer.summary();
  for (const s of statements) writer.member(s, transfersOf);
  writer.finish();
  pdf.end();
  return done;
}
