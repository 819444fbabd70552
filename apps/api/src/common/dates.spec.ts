import { instantFormats, local, utc } from './dates';

describe('instantFormats', () => {
  it('formats as utc and local do, each distinct instant once', () => {
    const f = instantFormats();
    const instants = ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', '2027-03-28T01:00:00.250Z'].map(
      (s) => new Date(s),
    );
    for (const d of [...instants, ...instants.map((i) => new Date(i.getTime()))]) {
      expect(f.utc(d)).toBe(utc(d));
      expect(f.local(d)).toBe(local(d));
    }
    expect(f.local(instants[0])).toBe('2026-10-25T02:30:00+02:00');
    expect(f.local(instants[1])).toBe('2026-10-25T02:30:00+01:00');
  });
});
