import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { germanConflict, germanFieldMessage, germanRefusal } from './domain-messages.de';
import { NotFound } from '@allmende/core';
import { detailOf, translateFieldErrors } from './messages';

const ROOT = path.resolve(__dirname, '../../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'migrations' || d.name === 'web' ? [] : sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.spec.ts') ? [p] : [];
  });
}

/**
 * Every English field message the services write without a class-validator rule, as it stands in
 * the source: `message: '…'`, `message: \`…${x}…\`` (the placeholders read as 1), and the texts
 * thrown as WebhookTargetRefused or returned as an RRULE's range problem, in the files that
 * raise field errors.
 */
function domainMessages(): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  for (const file of [...sources(path.join(ROOT, 'libs')), ...sources(path.join(ROOT, 'apps/api/src'))]) {
    const code = readFileSync(file, 'utf8');
    if (!/ValidationFailed|FieldError|WebhookTargetRefused|ruleOutOfRange/.test(code)) continue;
    const literal = /(?:message:\s*|WebhookTargetRefused\(\s*|return\s+)(['`])((?:\\.|(?!\1)[^\\])*)\1/g;
    for (const m of code.matchAll(literal)) {
      const before = code.slice(Math.max(0, m.index - 160), m.index);
      // Messages carrying a rule are rendered by the rule (messages.ts), not by the catalogue.
      if (/rule:\s*['\w]/.test(before.split('{').pop() ?? '')) continue;
      // A decorator's message (class-validator) is rendered by its rule, too.
      if (before.split('\n').pop()?.includes('@')) continue;
      const text = m[2].replace(/\$\{[^}]*\}/g, '1');
      if (m[0].startsWith('return') && !/ruleOutOfRange|is out of range|must/.test(text)) continue;
      if (text.length < 6 || !/[a-z] [a-z]/.test(text)) continue;
      found.push({ file: path.relative(ROOT, file), text });
    }
  }
  return found;
}

/** Every detail of a `new Conflict(…)` in the source, its placeholders read as 1. */
function conflictMessages(): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  for (const file of [...sources(path.join(ROOT, 'libs')), ...sources(path.join(ROOT, 'apps/api/src'))]) {
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/new Conflict\(\s*(['`])((?:\\.|(?!\1)[^\\])*)\1/g))
      found.push({ file: path.relative(ROOT, file), text: m[2].replace(/\$\{[^}]*\}/g, '1') });
  }
  return found;
}

describe('German field messages', () => {
  it('names in German everything a 404 may not find', () => {
    const nouns = new Set<string>();
    for (const file of [...sources(path.join(ROOT, 'libs')), ...sources(path.join(ROOT, 'apps/api/src'))])
      for (const m of readFileSync(file, 'utf8').matchAll(/new NotFound\(\s*(['`])((?:\\.|(?!\1)[^\\])*)\1/g))
        nouns.add(m[2].replace(/\$\{[^}]*\}/g, 'x@example.org'));
    expect(nouns.size).toBeGreaterThan(15);
    const english = [...nouns].filter((what) => detailOf(new NotFound(what, 'x'), 'de').startsWith(what));
    expect(english).toEqual([]);
  });

  it('has German for every refusal (403)', () => {
    const refusals: string[] = [];
    for (const file of [...sources(path.join(ROOT, 'libs')), ...sources(path.join(ROOT, 'apps/api/src'))])
      for (const m of readFileSync(file, 'utf8').matchAll(
        /ErrorCode\.Forbidden,\s*(['`"])((?:\\.|(?!\1)[^\\])*)\1/g,
      ))
        refusals.push(m[2].replace(/\$\{[^}]*\}/g, '1'));
    expect(refusals.length).toBeGreaterThan(12);
    expect(refusals.filter((r) => germanRefusal(r) === undefined)).toEqual([]);
  });

  it('has German for the detail of every conflict', () => {
    const conflicts = conflictMessages();
    expect(conflicts.length).toBeGreaterThan(15);
    expect(conflicts.filter((c) => germanConflict(c.text) === undefined)).toEqual([]);
    expect(germanConflict('The pool already has an agreement from 2027-01-01.')).toBe(
      'Der Pool hat schon eine Vereinbarung ab 2027-01-01.',
    );
  });

  it('has German for every field message the domain writes in English', () => {
    const messages = domainMessages();
    // The scan finds the messages at all (a broken pattern would pass with none).
    expect(messages.length).toBeGreaterThan(60);
    const missing = messages.filter((m) => germanFieldMessage(m.text) === undefined);
    expect(missing).toEqual([]);
  });

  it('renders them with the numbers and names they carry, and English stays English', () => {
    const errors = [
      { field: 'to', message: 'the period may span at most 92 days' },
      {
        field: 'period',
        message: 'must be a month (2026-11), a quarter (2026-Q4) or a year (2026) between 2000 and 2100',
      },
      { field: 'operatingHours', message: '9 h is more than the booked 4 h plus 1 h' },
      { field: 'end', message: 'must be after start' },
      { field: 'x', message: 'a message nobody catalogued' },
    ];
    expect(translateFieldErrors(errors, 'de').map((e) => e.message)).toEqual([
      'der Zeitraum darf höchstens 92 Tage umfassen',
      'muss ein Monat (2026-11), ein Quartal (2026-Q4) oder ein Jahr (2026) zwischen 2000 und 2100 sein',
      '9 h sind mehr als die gebuchten 4 h plus 1 h',
      'muss nach dem Beginn liegen',
      'a message nobody catalogued',
    ]);
    expect(translateFieldErrors(errors, 'en')).toEqual(errors);
  });
});
