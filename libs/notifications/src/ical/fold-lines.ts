/**
 * RFC 5545 line folding (3.1), the rule of ical-generator's `foldLines`: a line is broken with
 * CRLF and a space once it would pass 74 octets of UTF-8, never inside a character or a surrogate
 * pair. The library's version encodes every character with a new TextEncoder, which made up most
 * of an invite's cost; this one counts octets from the code unit and leaves short lines alone.
 * The same bytes: `fold-lines.spec.ts` compares the two.
 */
export function foldLines(text: string): string {
  return text.split('\r\n').map(foldLine).join('\r\n');
}

/** At most 3 octets per UTF-16 code unit: a line of 24 units or fewer never folds. */
const NEVER_FOLDS = 24;
const MAX_OCTETS = 74;

function foldLine(line: string): string {
  if (line.length <= NEVER_FOLDS || Buffer.byteLength(line, 'utf8') <= MAX_OCTETS) return line;
  let folded = '';
  let octets = 0;
  for (let i = 0; i < line.length; i++) {
    let ch = line.charAt(i);
    if (ch >= '\ud800' && ch <= '\udbff') ch += line.charAt(++i);
    const size = ch.length === 1 ? unitOctets(ch.charCodeAt(0)) : Buffer.byteLength(ch, 'utf8');
    octets += size;
    if (octets > MAX_OCTETS) {
      folded += '\r\n ';
      octets = size;
    }
    folded += ch;
  }
  return folded;
}

/** UTF-8 octets of one code unit; a lone surrogate is encoded as U+FFFD (3 octets). */
function unitOctets(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
}
