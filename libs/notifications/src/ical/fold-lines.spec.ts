import { foldLines as libraryFoldLines } from 'ical-generator';
import { foldLines } from './fold-lines';

describe('iCalendar line folding', () => {
  it('gives the same bytes as ical-generator for ASCII, umlauts, CJK, emoji and lone surrogates', () => {
    const pieces = ['a', 'Z', ' ', ';', 'ä', 'ß', '€', '漢', '😀', '\ud800', '\udc00', ',', '\\n'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lines: string[] = [
      '',
      'SHORT:line',
      `DESCRIPTION:${'x'.repeat(74)}`,
      `DESCRIPTION:${'x'.repeat(75)}`,
    ];
    for (let n = 0; n < 400; n++) {
      const length = Math.floor(random() * 300);
      let line = 'SUMMARY:';
      for (let i = 0; i < length; i++) line += pieces[Math.floor(random() * pieces.length)];
      lines.push(line);
    }
    for (const line of lines) expect(foldLines(line)).toBe(libraryFoldLines(line));
    const text = lines.join('\r\n') + '\r\n';
    expect(foldLines(text)).toBe(libraryFoldLines(text));
  });
});
