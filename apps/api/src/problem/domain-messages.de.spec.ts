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

/** The services' and the API's source (no migrations, no web app, no specs). */
const CODE = [...sources(path.join(ROOT, 'libs')), ...sources(path.join(ROOT, 'apps/api/src'))].map(
  (file) => ({
    file: path.relative(ROOT, file),
    code: readFileSync(file, 'utf8'),
  }),
);

interface Literal {
  file: string;
  /** The string as written, each `${…}` read as `placeholder`. */
  text: string;
  /** The source just before it, and the prefix it followed. */
  before: string;
  prefix: string;
}

/** Every string literal ('…', "…" or `…`) that follows `prefix` in the source. */
function literalsAfter(prefix: string, placeholder = '1'): Literal[] {
  const pattern = new RegExp(`(${prefix})(['\`"])((?:\\\\.|(?!\\2)[^\\\\])*)\\2`, 'g');
  return CODE.flatMap(({ file, code }) =>
    [...code.matchAll(pattern)].map((m) => ({
      file,
      text: m[3].replace(/\$\{[^}]*\}/g, placeholder),
      before: code.slice(Math.max(0, m.index - 160), m.index),
      prefix: m[1],
    })),
  );
}

/**
 * Every English field message the services write without a class-validator rule: `message: '…'`
 * in the files that raise field errors, the texts thrown as WebhookTargetRefused and the RRULE
 * range problems returned. Messages with a rule are rendered by the rule (messages.ts), a
 * decorator's message (class-validator) too.
 */
function fieldMessages(): Literal[] {
  const raising = new Set(
    CODE.filter(({ code }) =>
      /ValidationFailed|FieldError|WebhookTargetRefused|ruleOutOfRange/.test(code),
    ).map((c) => c.file),
  );
  return literalsAfter('message:\\s*|WebhookTargetRefused\\(\\s*|return\\s+').filter(
    (l) =>
      raising.has(l.file) &&
      !/rule:\s*['\w]/.test(l.before.split('{').pop() ?? '') &&
      !l.before.split('\n').pop()?.includes('@') &&
      (!l.prefix.startsWith('return') || /is out of range|must/.test(l.text)) &&
      l.text.length >= 6 &&
      /[a-z] [a-z]/.test(l.text),
  );
}

describe('German for the domain messages', () => {
  it('names in German everything a 404 may not find', () => {
    const nouns = new Set(literalsAfter('new NotFound\\(\\s*', 'x@example.org').map((l) => l.text));
    expect(nouns.size).toBeGreaterThan(15);
    const english = [...nouns].filter((what) => detailOf(new NotFound(what, 'x'), 'de').startsWith(what));
    expect(english).toEqual([]);
  });

  it('has German for every refusal (403)', () => {
    const refusals = literalsAfter('ErrorCode\\.Forbidden,\\s*');
    expect(refusals.length).toBeGreaterThan(12);
    expect(refusals.filter((r) => germanRefusal(r.text) === undefined)).toEqual([]);
  });

  it('has German for the detail of every conflict', () => {
    const conflicts = literalsAfter('new Conflict\\(\\s*');
    expect(conflicts.length).toBeGreaterThan(15);
    expect(conflicts.filter((c) => germanConflict(c.text) === undefined)).toEqual([]);
    expect(germanConflict('The pool already has an agreement from 2027-01-01.')).toBe(
      'Der Pool hat schon eine Vereinbarung ab 2027-01-01.',
    );
  });

  it('has German for every field message the domain writes in English', () => {
    const messages = fieldMessages();
    // The scan finds the messages at all (a broken pattern would pass with none).
    expect(messages.length).toBeGreaterThan(60);
    expect(messages.filter((m) => germanFieldMessage(m.text) === undefined)).toEqual([]);
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
