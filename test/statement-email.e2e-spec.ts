import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Mailbox } from './support/mailbox';
import { startTestStack, TestStack } from './support/test-app';
import { createUserViaApi, sql, wakeOutbox, WorldUser } from './support/world';

/** The worker as it runs in production: the statement email carries the engine's PDF and XLSX. */
describe('statement issued: the email carries the real statement files', () => {
  const mailbox = new Mailbox();
  let stack: TestStack;
  let finance: WorldUser;
  let ids: { a: string; b: string; pool: string };

  beforeAll(async () => {
    await mailbox.start();
    stack = await startTestStack({ worker: true, env: { SMTP_URL: mailbox.url } });
    const [m] = await sql<{ a: string; b: string }>(
      stack,
      `WITH ins AS (INSERT INTO municipalities (name, ags, population, lat, lon) VALUES
         ('Eschwege', '06636003', 19500, 51.185, 10.056), ('Sontra', '06636011', 7600, 51.066, 9.935)
         RETURNING id, ags)
       SELECT (SELECT id FROM ins WHERE ags = '06636003') a, (SELECT id FROM ins WHERE ags = '06636011') b`,
    );
    const [p] = await sql<{ id: string }>(
      stack,
      `INSERT INTO pools (name, field_of_action, cost_sharing) VALUES ('Bauhof-Verbund Ost', 'building-yard',
         '{"key": "population", "annualOverheadCents": 1200000}') RETURNING id`,
    );
    await sql(
      stack,
      `INSERT INTO pool_members (pool_id, municipality_id, joined_on) VALUES ($1, $2, '2025-01-01'), ($1, $3, '2025-01-01')`,
      [p.id, m.a, m.b],
    );
    await sql(
      stack,
      `INSERT INTO resources (pool_id, kind, name, type, home_municipality_id, qualifications, annual_fixed_cost_cents)
       VALUES ($1, 'machine', 'Kehrmaschine Sontra', 'street-sweeper', $2, '{}', 2400000)`,
      [p.id, m.b],
    );
    ids = { a: m.a, b: m.b, pool: p.id };
    finance = await createUserViaApi(stack, {
      email: 'kaemmerei@eschwege.example',
      name: 'Kämmerei Eschwege',
      role: 'finance',
      municipalityId: m.a,
    });
  });

  afterAll(async () => {
    await stack?.close();
    await mailbox.stop();
  });

  it('sends the member its statement as PDF and XLSX, with the figures of the statement', async () => {
    await sql(
      stack,
      `INSERT INTO booking_events (booking_id, municipality_id, kind, payload) VALUES (NULL, $1, 'statement.issued', $2)`,
      [
        ids.a,
        JSON.stringify({ poolId: ids.pool, municipalityId: ids.a, period: '2025-10', statementNumber: null }),
      ],
    );
    await wakeOutbox(stack);
    await mailbox.waitFor(() => mailbox.to(finance.email).length >= 1);
    const mail = mailbox.to(finance.email)[0].mail;
    const names = mail.attachments.map((a) => a.filename ?? '').sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^Kostenabrechnung-.*2025-10.*Eschwege\.pdf$/);
    expect(names[1]).toMatch(/^Kostenabrechnung-.*2025-10.*Eschwege\.xlsx$/);
    const pdf = mail.attachments.find((a) => a.filename?.endsWith('.pdf'))!.content;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'allmende-statement-mail-'));
    writeFileSync(path.join(dir, 'statement.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'statement.pdf'), '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain('Eschwege');
    expect(text).toContain('Bauhof-Verbund Ost');
    expect(text).toMatch(/\d+,\d{2}\s€/);
  });
});
