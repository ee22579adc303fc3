import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { hasHolidayData, isWorkdayOf, workCalendar } from '../../src/domain/sla/calendar.ts';
import { deadline, timeLeft, windowPoint } from '../../src/domain/sla/deadline.ts';

// Business time: 08:00–12:00 and 14:00–18:00 Asia/Shanghai on China's official working days.
const TZ = 'Asia/Shanghai';
const cal = workCalendar('workhours', { hours: ['08:00-12:00', '14:00-18:00'], holidays: 'cn', daysOff: [], workdays: [] }, TZ);
const at = (local: string) => DateTime.fromISO(local, { zone: TZ }).toMillis();
const local = (ms: number) => DateTime.fromMillis(ms, { zone: TZ }).toFormat("yyyy-MM-dd'T'HH:mm");
const h = 3600_000;

describe('business time (luxon, chinese-days; pure)', () => {
  it.each([
    ['a Friday 17:50 report with 1 h of working time: 50 min on Monday morning', '2026-12-04T17:50', 1, '2026-12-07T08:50'],
    ['Friday 17:30, 1 h: the next working day 08:30', '2026-12-04T17:30', 1, '2026-12-07T08:30'],
    ['11:30, 1 h: across the lunch break, 14:30', '2026-12-04T11:30', 1, '2026-12-04T14:30'],
    ['before work (06:00), 1 h: 09:00', '2026-12-04T06:00', 1, '2026-12-04T09:00'],
    ['on a Saturday: from Monday 08:00', '2026-12-05T10:00', 1, '2026-12-07T09:00'],
    ['the eve of 国庆 2026 (Wed 30 Sep 17:30): after the week off, Thu 8 Oct', '2026-09-30T17:30', 1, '2026-10-08T08:30'],
    ['国庆 2026 ends with a 调休 Saturday (10 Oct) that is a working day', '2026-10-09T17:30', 1, '2026-10-10T08:30'],
    ['国庆 2025 (1–8 Oct), the eve: Thu 9 Oct', '2025-09-30T17:00', 2, '2025-10-09T09:00'],
    ['调休 Sunday 28 Sep 2025 is a working day (Saturday 27 is not)', '2025-09-27T17:00', 2, '2025-09-28T10:00'],
    ['春节 2026 (15–23 Feb): the 调休 Saturday 14 Feb works, then nothing until Tue 24 Feb', '2026-02-13T17:00', 3, '2026-02-14T10:00'],
    ['…and after 14 Feb: 24 Feb', '2026-02-14T17:30', 1, '2026-02-24T08:30'],
    ['the 调休 Saturday 28 Feb 2026 works', '2026-02-27T17:30', 1, '2026-02-28T08:30'],
    ['24 h of working time is three working days', '2026-12-07T08:00', 24, '2026-12-09T18:00'],
  ])('%s', (_, from, hours, due) => {
    expect(local(deadline(at(from), hours * h, cal))).toBe(due);
  });

  it('counts only working time between two instants, and the 2/3 point of a window over a weekend', () => {
    expect(timeLeft(at('2026-12-07T08:30'), at('2026-12-04T17:30'), cal)).toBe(h);
    expect(timeLeft(at('2026-12-04T17:30'), at('2026-12-07T08:30'), cal)).toBe(-h);
    const start = at('2026-12-04T17:30');
    const due = deadline(start, 3 * h, cal); // Mon 10:30
    expect(local(windowPoint(start, due, 2 / 3, cal))).toBe('2026-12-07T09:30');
  });

  it('gives the same answers whatever the server\'s zone (the instants are UTC; Asia/Shanghai has no DST)', () => {
    const utcNoon = Date.UTC(2026, 11, 4, 4, 0); // 12:00 local, lunch
    expect(local(deadline(utcNoon, h, cal))).toBe('2026-12-04T15:00');
  });

  it('takes weekdays and holidays by the calendar\'s zone, not the process\'s (a server west of UTC)', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles'; // Node re-reads it: Date's local time is now Pacific
    try {
      const fresh = workCalendar('west', { hours: ['08:00-12:00', '14:00-18:00'], holidays: 'cn', daysOff: [], workdays: [] }, TZ);
      expect(local(deadline(at('2026-12-04T17:30'), h, fresh))).toBe('2026-12-07T08:30'); // not Saturday 5 Dec
      expect(local(deadline(at('2025-12-31T17:30'), h, fresh))).toBe('2026-01-04T08:30'); // 元旦 1–3 Jan, 调休 Sunday 4 Jan
      expect(isWorkdayOf({ hours: [], holidays: 'cn', daysOff: [], workdays: [] }, DateTime.fromISO('2026-12-05', { zone: TZ }))).toBe(false);
      expect(isWorkdayOf({ hours: [], holidays: 'cn', daysOff: [], workdays: [] }, DateTime.fromISO('2026-02-14', { zone: TZ }))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('dates a day right where a DST change skips local midnight (America/Santiago, 6 Sep 2020)', () => {
    const santiago = workCalendar('cl', { hours: ['08:00-12:00'], holidays: 'none', daysOff: [], workdays: ['2020-09-05'] }, 'America/Santiago');
    const cl = (iso: string) => DateTime.fromISO(iso, { zone: 'America/Santiago' }).toMillis();
    // Saturday 5 Sep is an extra working day, Sunday 6 Sep (its 00:00 does not exist) is not.
    expect(santiago.between(cl('2020-09-05T00:00'), cl('2020-09-07T00:00'))).toBe(4 * h);
    expect(DateTime.fromMillis(santiago.add(cl('2020-09-05T13:00'), h), { zone: 'America/Santiago' }).toISODate()).toBe('2020-09-07');
  });

  it('walks long spans by whole days: a month of working time, and the time between two instants months apart', () => {
    // 2026-12: 23 working days × 8 h (1–31 Dec, no holiday); from Tue 1 Dec 08:00.
    expect(cal.between(at('2026-12-01T00:00'), at('2027-01-01T00:00'))).toBe(23 * 8 * h);
    expect(local(deadline(at('2026-12-01T08:00'), 23 * 8 * h, cal))).toBe('2026-12-31T18:00');
    // Year 2026: 248 official working days (261 weekdays − 19 holidays on weekdays + 6 make-up days).
    expect(cal.between(at('2026-01-01T00:00'), at('2027-01-01T00:00')) / (8 * h)).toBe(248);
  });

  it('a school\'s own days off and extra working days win over the official ones', () => {
    const school = workCalendar('school', { hours: ['08:00-12:00', '14:00-18:00'], holidays: 'cn', daysOff: ['2026-12-07'], workdays: ['2026-12-05'] }, TZ);
    expect(local(deadline(at('2026-12-04T17:30'), h, school))).toBe('2026-12-05T08:30');
    expect(local(deadline(at('2026-12-05T17:30'), h, school))).toBe('2026-12-08T08:30');
  });

  it('knows which years have the official arrangement; without it, Monday to Friday', () => {
    expect([hasHolidayData(2025), hasHolidayData(2026)]).toEqual([true, true]);
    expect(hasHolidayData(2099)).toBe(false);
    expect(local(deadline(at('2099-01-02T17:30'), h, cal))).toBe('2099-01-05T08:30'); // Fri → Mon
  });
});

describe('the digest warns when next year\'s holidays are not known', () => {
  it('from 1 December, for a business calendar on China\'s holidays only', async () => {
    const { loadPolicy } = await import('../../src/config/policy-file.ts');
    const { buildDigest } = await import('../../src/views/digest.ts');
    const generic = loadPolicy('config/policies/generic-5.3.2.1.yaml');
    const dec = at('2099-12-01T08:30');
    expect(buildDigest({ now: dec, tickets: [] }, generic)).toContain('工作日历还没有 2100 年的法定节假日和调休安排');
    expect(buildDigest({ now: at('2026-11-30T08:30'), tickets: [] }, generic)).not.toContain('工作日历还没有');
    expect(buildDigest({ now: dec, tickets: [] }, loadPolicy(undefined))).not.toContain('工作日历还没有'); // 7×24
  });
});

describe('the school calendar for inspections and the digest', () => {
  it('an inspection planned on a holiday Monday moves to the next working day; the digest skips a day off unless something is urgent', async () => {
    const { loadPolicy } = await import('../../src/config/policy-file.ts');
    const { contractFor, MAIN_CONTRACT } = await import('../../src/domain/contract/contract.ts');
    const { plannedInspections } = await import('../../src/domain/inspections.ts');
    const { digestData, digestDue } = await import('../../src/domain/reports/digest.ts');
    const { newTicket } = await import('../../src/domain/intake-rules.ts');
    const p = loadPolicy(undefined);
    // A semester whose week 1 starts Monday 21 Sep 2026: week 3's Monday is 5 Oct (国庆) → Thu 8 Oct.
    const c = { ...contractFor(p, MAIN_CONTRACT), inspections: { ...p.inspections, weeks: [3] } };
    expect(plannedInspections({ name: '2026秋', start: '2026-09-21', end: '2027-01-15' }, c).map(local)).toEqual(['2026-10-08T09:00']);
    const skip = { ...p, digest: { ...p.digest, skipHolidays: true } };
    const nationalDay = at('2026-10-02T08:30');
    expect(digestDue(digestData({ now: nationalDay, tickets: [] }, skip), skip)).toBe(false);
    expect(digestDue(digestData({ now: at('2026-10-09T08:30'), tickets: [] }, skip), skip)).toBe(true);
    const l1 = newTicket({ n: 1, label: 'L1', confidence: 1, reporter: { platform: 'sim', userId: 't', name: '老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: '平台打不开', truncated: false, attachments: [], messageId: 'm', now: nationalDay - h }, skip);
    expect(digestDue(digestData({ now: nationalDay, tickets: [l1] }, skip), skip)).toBe(true);
    expect(digestDue(digestData({ now: nationalDay, tickets: [] }, p), p)).toBe(true); // the switch is off by default
  });
});

describe('a calendar per level', () => {
  it('a 7×24 contract whose consult questions count in working hours: the consult clock keeps its calendar through reminders and re-grades', async () => {
    const { loadPolicy } = await import('../../src/config/policy-file.ts');
    const { newTicket, changeLevel } = await import('../../src/domain/intake-rules.ts');
    const { pendingSteps } = await import('../../src/domain/sla/schedule.ts');
    const base = loadPolicy(undefined);
    const p = { ...base, calendars: { workhours: { hours: ['08:00-12:00', '14:00-18:00'], holidays: 'cn' as const, daysOff: [], workdays: [] } }, levels: { ...base.levels, consult: { ...base.levels.consult, calendar: 'workhours' } } };
    const mk = (label: 'consult' | 'L1') => newTicket({ n: 1, label, confidence: 1, reporter: { platform: 'sim', userId: 't', name: '老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: 'x', truncated: false, attachments: [], messageId: 'm', now: at('2026-12-04T17:30') }, p);
    const q = mk('consult');
    expect(q.clocks.response).toMatchObject({ calendar: 'workhours' });
    expect(local(q.clocks.response!.dueAt)).toBe('2026-12-07T08:30');
    expect(local(pendingSteps(q, p).find((s) => s.step === 'remind')!.at)).toBe('2026-12-07T08:10'); // 2/3 of 60 working min: 30 min Fri + 10 min Mon
    expect(local(mk('L1').clocks.response!.dueAt)).toBe('2026-12-04T18:00'); // the contract's 7×24
    const raised = changeLevel(q, 'L1', at('2026-12-04T17:40'), p, { kind: 'bot', id: 'bot', name: 'bot' });
    expect(raised.clocks.response!.calendar).toBeUndefined();
    expect(local(raised.clocks.response!.dueAt)).toBe('2026-12-04T18:00');
  });
});
