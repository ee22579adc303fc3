import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatLocal } from '../../src/views/time.ts';

const tz = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone: tz }).toMillis();

describe('local time display', () => {
  const now = at('2026-11-25T14:05:00');
  it('says today / tomorrow / a date, in Shanghai time', () => {
    expect(formatLocal(at('2026-11-25T14:35:00'), now, tz)).toBe('今天 14:35');
    expect(formatLocal(at('2026-11-26T00:20:00'), now, tz)).toBe('明天 00:20');
    expect(formatLocal(at('2026-11-28T09:00:00'), now, tz)).toBe('11月28日 09:00');
    expect(formatLocal(at('2027-01-02T09:00:00'), now, tz)).toBe('2027年1月2日 09:00');
    expect(formatLocal(at('2026-11-24T18:00:00'), now, tz)).toBe('昨天 18:00');
  });
  it('crosses midnight by the local calendar, not UTC', () => {
    // 23:50 local is 15:50 UTC: a 30-minute deadline is tomorrow locally although the same UTC day.
    const late = at('2026-11-25T23:50:00');
    expect(formatLocal(at('2026-11-26T00:20:00'), late, tz)).toBe('明天 00:20');
  });
  it('shows seconds on request', () => {
    expect(formatLocal(at('2026-11-25T14:05:18'), now, tz, true)).toBe('今天 14:05:18');
  });
});

describe('long spans', () => {
  it('reads days and hours from two days on', async () => {
    const { formatSpan, overPhrase } = await import('../../src/views/time.ts');
    expect(formatSpan(239 * 3600_000 + 10 * 60_000)).toBe('9天23小时');
    expect(formatSpan(48 * 3600_000)).toBe('2天');
    expect(overPhrase(47 * 3600_000)).toBe('已超时 47小时');
  });
});
