import { describe, expect, it } from 'vitest';
import { DateTime, IANAZone } from 'luxon';
import { zone } from '../../src/domain/zone.ts';

describe('zone (offsets remembered per quarter hour)', () => {
  it('gives the same offsets and local times as luxon across DST transitions, every 23 minutes for a year', () => {
    for (const name of ['Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      const plain = IANAZone.create(name);
      const fast = zone(name);
      const from = Date.UTC(2025, 0, 1);
      for (let ts = from; ts < from + 366 * 86_400_000; ts += 23 * 60_000 + 13_000) {
        if (fast.offset(ts) !== plain.offset(ts)) expect({ name, ts, offset: fast.offset(ts) }).toEqual({ name, ts, offset: plain.offset(ts) });
      }
      expect(DateTime.fromISO('2026-03-08T02:30', { zone: fast }).toISO()).toBe(DateTime.fromISO('2026-03-08T02:30', { zone: name }).toISO());
    }
  });

  it('keeps the zone name and equality luxon users rely on', () => {
    const d = DateTime.fromMillis(Date.UTC(2026, 11, 3, 4, 5), { zone: zone('Asia/Shanghai') });
    expect(d.zoneName).toBe('Asia/Shanghai');
    expect(d.toFormat('yyyy-MM-dd HH:mm ZZ')).toBe('2026-12-03 12:05 +08:00');
    expect(d.equals(DateTime.fromMillis(d.toMillis(), { zone: 'Asia/Shanghai' }))).toBe(true);
    expect(zone('Asia/Shanghai')).toBe(zone('Asia/Shanghai'));
  });
});
