import { relativeTime } from '../server/http/viewLocals';

// "3 minutes ago" in the interface language, in the largest unit the time fills (Intl.RelativeTimeFormat).
describe('relativeTime', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  const en = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const es = new Intl.RelativeTimeFormat('es', { numeric: 'auto' });
  it.each([
    ['2026-12-05T11:59:30Z', '30 seconds ago'],
    ['2026-12-05T11:57:00Z', '3 minutes ago'],
    ['2026-12-05T09:00:00Z', '3 hours ago'],
    ['2026-12-04T11:00:00Z', 'yesterday'],
    ['2026-11-20T12:00:00Z', '2 weeks ago'],
    ['2025-12-01T12:00:00Z', 'last year'],
    ['2026-12-05T14:00:00Z', 'in 2 hours'],
  ])('%s is "%s" in English', (iso, said) => {
    expect(relativeTime(en, iso, now)).toBe(said);
  });
  it('says it in Spanish, and gives back what is not a date', () => {
    expect(relativeTime(es, '2026-12-05T11:57:00Z', now)).toBe('hace 3 minutos');
    expect(relativeTime(es, 'not a date', now)).toBe('not a date');
  });
});
