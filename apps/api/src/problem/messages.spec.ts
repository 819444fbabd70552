import { DomainError, ErrorCode } from '@allmende/core';
import { detailOf } from './messages';

describe('German details', () => {
  it('has one for every error code, in German, with what the error carries', () => {
    const cases: [DomainError, string][] = [
      [
        new DomainError(ErrorCode.PeriodFinalized, 'The period 2026-10 is finalized; …', {
          finalizedPeriod: '2026-10',
        }),
        'Der Zeitraum 2026-10 ist abgeschlossen; eine neue Vereinbarung kann erst danach gelten.',
      ],
      [
        new DomainError(ErrorCode.PeriodFinalized, 'The period 2026-11 is already finalized.', {
          period: '2026-11',
        }),
        'Der Zeitraum 2026-11 ist schon abgeschlossen.',
      ],
      [
        new DomainError(ErrorCode.NotAcceptable, 'Statements are available as …', {
          available: ['application/json', 'text/csv'],
        }),
        'Verfügbar sind nur diese Formate: application/json, text/csv.',
      ],
      [
        new DomainError(
          ErrorCode.RateLimited,
          'Too many failed sign-ins from this address; try again later.',
          {
            lockedUntil: '2026-12-02T12:00:00.000Z',
          },
        ),
        'Zu viele gescheiterte Anmeldungen von dieser Adresse; bitte später erneut versuchen.',
      ],
      [
        new DomainError(ErrorCode.RateLimited, 'Rate limit exceeded'),
        'Zu viele Anfragen mit diesem Token; bitte kurz warten.',
      ],
    ];
    for (const [error, german] of cases) {
      expect(detailOf(error, 'de')).toBe(german);
      expect(detailOf(error, 'en')).toBe(error.message);
    }
    // No code falls back to its English message in German.
    for (const code of Object.values(ErrorCode)) {
      const english = `English text for ${code}`;
      expect(detailOf(new DomainError(code, english), 'de')).not.toBe(english);
    }
  });
});
