import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
import { parsePause } from '../../src/domain/command-parse.ts';
import { apply, type LifecycleAction } from '../../src/domain/lifecycle.ts';
import { kpis } from '../../src/domain/reports/kpi.ts';
import { ALWAYS, workCalendar } from '../../src/domain/sla/calendar.ts';
import { resumePause, startPause } from '../../src/domain/sla/pause.ts';
import { pendingSteps } from '../../src/domain/sla/schedule.ts';
import type { Ticket } from '../../src/domain/ticket.ts';
import { complianceReport, reportMarkdown } from '../../src/views/compliance-report.ts';

const p = loadPolicy(undefined);
const min = 60_000;
const T0 = Date.parse('2026-11-10T01:00:00Z'); // Tue 09:00 Shanghai
const lead = { kind: 'staff' as const, id: 'lishuang', name: '李爽' };
const teacher = { kind: 'user' as const, id: 't', name: '王老师' };
const base = () => newTicket({ n: 1, label: 'L3', confidence: 1, reporter: { platform: 'sim', userId: 't', name: '王老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: '一排电脑登录不了', truncated: false, attachments: [], messageId: 'm1', now: T0 }, p);
const step = (t: Ticket, a: LifecycleAction, by: typeof lead | typeof teacher, at: number): Ticket => {
  const r = apply(t, a, by, at, p);
  if (!r.ok) throw new Error(r.refusal.code);
  return r.ticket;
};

describe('pausing clocks (pure)', () => {
  it('a paused clock has no timers; resume moves its deadline by the pause and reschedules', () => {
    const t = startPause(base(), { reason: '等待备件' }, lead, T0 + 10 * min, () => ALWAYS, p.pause.maxTotal);
    expect(pendingSteps(t, p)).toEqual([]);
    const r = resumePause(t, lead, T0 + 40 * min, () => ALWAYS, p.pause.maxTotal, 'command');
    expect(r.clocks.response!.dueAt).toBe(T0 + 90 * min); // 60 + 30
    expect(r.clocks.response!.version).toBe(base().clocks.response!.version + 2);
    expect(pendingSteps(r, p).map((s) => s.step)).toContain('remind');
  });

  it('never turns a passed deadline into "met"; the total credited is capped', () => {
    // Due at +60, passed at +70: the clock is not paused (its reminders go on), and 挂起 says why.
    const late = startPause(base(), { reason: '等待学校' }, lead, T0 + 70 * min, () => ALWAYS, p.pause.maxTotal);
    expect(late.clocks.response!.pausedAt).toBeUndefined();
    expect(pendingSteps(late, p).map((s) => s.step)).toContain('repeat1');
    expect(resumePause(late, lead, T0 + 200 * min, () => ALWAYS, p.pause.maxTotal, 'command').clocks.response!.dueAt).toBe(T0 + 60 * min);
    expect(apply(base(), { kind: 'pause', reason: '等待学校', consent: false }, lead, T0 + 70 * min, p)).toMatchObject({ ok: false, refusal: { code: 'nothing-to-pause', overdue: true } });
    // A ticket stored by a version that paused overdue clocks: resume leaves the passed deadline.
    const old = { ...base(), pause: { state: 'active' as const, reason: '等待学校', by: lead, at: T0 + 70 * min, since: T0 + 70 * min }, clocks: { response: { ...base().clocks.response!, pausedAt: T0 + 70 * min } } };
    expect(resumePause(old, lead, T0 + 200 * min, () => ALWAYS, p.pause.maxTotal, 'command').clocks.response!.dueAt).toBe(T0 + 60 * min);
    const capped = resumePause(startPause(base(), { reason: '等待备件' }, lead, T0, () => ALWAYS, 30 * min), lead, T0 + 100 * min, () => ALWAYS, 30 * min, 'command');
    expect(capped.clocks.response!.dueAt).toBe(T0 + 90 * min);
    expect(apply(capped, { kind: 'pause', reason: '再等', consent: false }, lead, T0 + 85 * min, { ...p, pause: { ...p.pause, maxTotal: 30 * min } })).toMatchObject({ ok: false, refusal: { code: 'pause-cap' } });
  });

  it('in business time the pause counts only working time (a night paused moves nothing)', () => {
    const cal = workCalendar('workhours', { hours: ['08:00-12:00', '14:00-18:00'], holidays: 'cn', daysOff: [], workdays: [] }, 'Asia/Shanghai');
    const t = { ...base(), clocks: { response: { ...base().clocks.response!, dueAt: T0 + 60 * min } } };
    const night = resumePause(startPause(t, { reason: '等待学校开门' }, lead, Date.parse('2026-11-10T10:30:00Z'), () => cal, p.pause.maxTotal), lead, Date.parse('2026-11-11T00:00:00Z'), () => cal, p.pause.maxTotal, 'time');
    expect(night.pauses![0]!.credited).toBe(0); // 18:30 → 08:00: no working time
  });

  it('with consent: asking stops nothing, 同意 stops the clocks, another step ends the pause first', () => {
    let t = step(base(), { kind: 'pause', reason: '等待备件', consent: true }, lead, T0 + 5 * min);
    expect(t.clocks.response!.pausedAt).toBeUndefined();
    t = step(t, { kind: 'pause-consent' }, teacher, T0 + 10 * min);
    expect(t.clocks.response!.pausedAt).toBe(T0 + 10 * min);
    t = step(t, { kind: 'ack' }, lead, T0 + 25 * min); // 接单 while paused: resumes, then judges the moved deadline
    expect(t.pause).toBeUndefined();
    expect(t.clocks.response).toMatchObject({ dueAt: T0 + 75 * min, outcome: 'met' });
    expect(t.history.map((h) => h.action)).toEqual(['created', 'pause-proposed', 'pause-consent', 'pause', 'resume', 'ack']);
  });

  it('KPIs and the compliance report of a month with a paused ticket use the moved deadline and show the pause', () => {
    let t = step(base(), { kind: 'pause', reason: '等待备件', consent: false }, lead, T0 + 20 * min);
    t = step(t, { kind: 'resume', why: 'command' }, lead, T0 + 80 * min); // due 60 → 120
    t = step(t, { kind: 'ack' }, lead, T0 + 100 * min); // late by the contract's hour, in time with the pause
    expect(kpis([t], T0 + 200 * min).response).toMatchObject({ met: 1, breached: 0 });
    // While paused past the original deadline: pending, not missed.
    const paused = step(base(), { kind: 'pause', reason: '等待备件', consent: false }, lead, T0 + 20 * min);
    expect(kpis([paused], T0 + 90 * min).response).toMatchObject({ met: 0, breached: 0, pending: 1 });
    const md = reportMarkdown(complianceReport([t], '2026-11-01', '2026-11-30', T0 + 200 * min, p));
    expect(md).toContain('| 工单 | 暂停时长及原因 |');
    expect(md).toContain('| #1 | 1小时（等待备件） |');
  });
});

describe('pauses across re-grades, the cap, merges and earlier moments', () => {
  const paused = (at: number) => step(base(), { kind: 'pause', reason: '等待备件', consent: false }, lead, at);

  it('a re-grade after a pause keeps the paused time on the deadline (and ends a running pause first)', async () => {
    const { changeLevel } = await import('../../src/domain/intake-rules.ts');
    const resumed = step(paused(T0 + 10 * min), { kind: 'resume', why: 'command' }, lead, T0 + 40 * min); // L3: 60 + 30
    expect(resumed.clocks.response).toMatchObject({ dueAt: T0 + 90 * min, credit: 30 * min });
    const raised = changeLevel(resumed, 'L2', T0 + 45 * min, p, lead); // L2: 30 min from the start, + 30 paused
    expect(raised.clocks.response!.dueAt).toBe(T0 + 60 * min);
    const whilePaused = changeLevel(paused(T0 + 10 * min), 'L2', T0 + 20 * min, p, lead);
    expect(whilePaused.pause).toBeUndefined();
    expect(whilePaused.clocks.response).toMatchObject({ dueAt: T0 + 40 * min, credit: 10 * min });
    expect(whilePaused.history.map((h) => h.action)).toEqual(['created', 'pause', 'resume', 'level']);
  });

  it('the cap: the pause ends by itself when it runs out, and a clock paused past its latest deadline is missed', async () => {
    const { pauseEndsAt } = await import('../../src/domain/sla/pause.ts');
    const short = { ...p, pause: { ...p.pause, maxTotal: 30 * min } };
    const t = step(base(), { kind: 'pause', reason: '等待备件', consent: false, until: T0 + 300 * min }, lead, T0 + 10 * min);
    expect(pauseEndsAt(t)).toEqual({ at: T0 + 300 * min, why: 'time' });
    const r = apply(base(), { kind: 'pause', reason: '等待备件', consent: false, until: T0 + 300 * min }, lead, T0 + 10 * min, short);
    if (!r.ok) throw new Error(r.refusal.code);
    expect(pauseEndsAt(r.ticket)).toEqual({ at: T0 + 40 * min, why: 'cap' });
    expect(r.ticket.clocks.response!.latestDueAt).toBe(T0 + 90 * min);
    expect(kpis([r.ticket], T0 + 89 * min).response).toMatchObject({ pending: 1, breached: 0 });
    expect(kpis([r.ticket], T0 + 91 * min).response).toMatchObject({ pending: 0, breached: 1 });
    // Its timer run an hour late (the bot was down): the pause counts to the cap, not to now.
    const ended = apply(r.ticket, { kind: 'resume', why: 'cap', at: T0 + 40 * min }, lead, T0 + 100 * min, short);
    if (!ended.ok) throw new Error(ended.refusal.code);
    expect(ended.ticket.clocks.response!.dueAt).toBe(T0 + 90 * min);
    expect(ended.ticket.pauses).toMatchObject([{ from: T0 + 10 * min, to: T0 + 40 * min }]);
    expect(ended.ticket.history.at(-1)).toMatchObject({ action: 'resume', detail: 'cap', pausedMs: 30 * min });
  });

  it('refuses a resume time that has passed by the time the reporter agrees; 恢复 on an ended ticket is refused', () => {
    const asked = step(base(), { kind: 'pause', reason: '等待学校', consent: true, until: T0 + 30 * min }, lead, T0 + 5 * min);
    expect(apply(asked, { kind: 'pause-consent' }, teacher, T0 + 31 * min, p)).toMatchObject({ ok: false, refusal: { code: 'pause-until-past' } });
    expect(apply(base(), { kind: 'pause', reason: '等待学校', consent: false, until: T0 }, lead, T0 + 5 * min, p)).toMatchObject({ ok: false, refusal: { code: 'pause-until-past' } });
    const stale = { ...paused(T0 + 10 * min), status: 'closed' as const };
    expect(apply(stale, { kind: 'resume', why: 'command' }, lead, T0 + 20 * min, p)).toMatchObject({ ok: false, refusal: { code: 'ended' } });
  });

  it('合并 of a paused ticket ends the pause first: its time is on the record, no clock left paused', async () => {
    const { markMerged } = await import('../../src/domain/incident/incident.ts');
    const m = markMerged(paused(T0 + 10 * min), 2, lead, T0 + 25 * min, p);
    expect(m.pause).toBeUndefined();
    expect(m.pauses).toMatchObject([{ from: T0 + 10 * min, to: T0 + 25 * min, credited: 15 * min }]);
    expect(m.clocks.response).toMatchObject({ outcome: 'cancelled' });
    expect(m.clocks.response!.pausedAt).toBeUndefined();
  });

  it('a ticket as of a moment: a later pause is undone, a pause resumed later still runs and has not moved the deadline', async () => {
    const { asOf } = await import('../../src/domain/as-of.ts');
    const t = step(paused(T0 + 10 * min), { kind: 'resume', why: 'command' }, lead, T0 + 40 * min); // due 60 → 90
    const before = asOf(t, T0 + 5 * min, p)!;
    expect(before.pause).toBeUndefined();
    expect(before.pauses).toBeUndefined();
    expect(before.clocks.response).toMatchObject({ dueAt: T0 + 60 * min });
    expect(before.clocks.response!.pausedAt).toBeUndefined();
    const during = asOf(t, T0 + 20 * min, p)!;
    expect(during.pause).toMatchObject({ state: 'active', since: T0 + 10 * min, reason: '等待备件' });
    expect(during.clocks.response).toMatchObject({ dueAt: T0 + 60 * min, pausedAt: T0 + 10 * min });
    expect(during.clocks.response!.credit).toBeUndefined();
    expect(kpis([during], T0 + 70 * min).response).toMatchObject({ pending: 1, breached: 0 });
    const after = asOf({ ...t, history: [...t.history, { at: T0 + 50 * min, by: lead, action: 'note' }], updatedAt: T0 + 50 * min }, T0 + 45 * min, p)!;
    expect(after.clocks.response).toMatchObject({ dueAt: T0 + 90 * min, credit: 30 * min });
    expect(after.pauses).toHaveLength(1);
    // A re-grade after the moment is undone with the credit the clock had then.
    const { changeLevel } = await import('../../src/domain/intake-rules.ts');
    const raised = changeLevel(t, 'L2', T0 + 45 * min, p, lead);
    expect(asOf(raised, T0 + 42 * min, p)!.clocks.response!.dueAt).toBe(T0 + 90 * min);
  });
});

describe('pauses that ended late, lapsed requests, and pauses stored before the cap was kept', () => {
  it('a request agreed too late gives way to a new 挂起; the time credited never runs past the resume time given', () => {
    const asked = step(base(), { kind: 'pause', reason: '等待学校', consent: true, until: T0 + 30 * min }, lead, T0 + 5 * min);
    expect(apply(asked, { kind: 'pause', reason: '等待学校', consent: true }, lead, T0 + 10 * min, p)).toMatchObject({ ok: false, refusal: { code: 'already-paused', proposed: true } });
    const again = step(asked, { kind: 'pause', reason: '等待学校开门', consent: true, until: T0 + 90 * min }, lead, T0 + 32 * min); // the first lapsed at +30
    expect(again.pause).toMatchObject({ state: 'proposed', reason: '等待学校开门', until: T0 + 90 * min });
    const paused = step(again, { kind: 'pause-consent' }, teacher, T0 + 35 * min);
    // The reporter writes at +100, after the resume time (+90) whose timer was late: 55 min, not 65.
    const resumed = step(paused, { kind: 'resume', why: 'reporter' }, teacher, T0 + 100 * min);
    expect(resumed.pauses).toMatchObject([{ from: T0 + 35 * min, to: T0 + 90 * min, credited: 55 * min }]);
  });

  it('a pause stored without its cap time gets one from the policy (so its timer is scheduled)', async () => {
    const { pauseEndsAt } = await import('../../src/domain/sla/pause.ts');
    const stored = { ...base(), pause: { state: 'active' as const, reason: '等待备件', by: lead, at: T0, since: T0 } };
    expect(pauseEndsAt(stored)).toBeUndefined();
    expect(pauseEndsAt(stored, p)).toEqual({ at: T0 + p.pause.maxTotal, why: 'cap' });
  });

  it('as of a moment: an agreed pause keeps its resume time and cap; a pause whose timer ran late is still running between its end and the resume', async () => {
    const { asOf } = await import('../../src/domain/as-of.ts');
    let t = step(base(), { kind: 'pause', reason: '等待学校', consent: true, until: T0 + 60 * min }, lead, T0 + 5 * min);
    t = step(t, { kind: 'pause-consent' }, teacher, T0 + 10 * min);
    const withNote = { ...t, history: [...t.history, { at: T0 + 20 * min, by: lead, action: 'note' }], updatedAt: T0 + 20 * min };
    expect(asOf(withNote, T0 + 15 * min, p)!.pause).toEqual(t.pause);
    // The timer meant for +60 ran at +100: at +80 the ticket was still paused, its deadline not yet moved.
    const late = step(t, { kind: 'resume', why: 'time', at: T0 + 60 * min }, { ...lead, kind: 'staff' }, T0 + 100 * min);
    expect(late.pauses).toMatchObject([{ to: T0 + 60 * min, credited: 50 * min }]);
    const mid = asOf(late, T0 + 80 * min, p)!;
    expect(mid.pause).toMatchObject({ state: 'active', since: T0 + 10 * min });
    expect(mid.pauses).toBeUndefined();
    expect(mid.clocks.response).toMatchObject({ dueAt: T0 + 60 * min, pausedAt: T0 + 10 * min });
    expect(mid.clocks.response!.credit).toBeUndefined();
  });
});

describe('parsePause: the reason and the resume time as staff type them', () => {
  const TZ = 'Asia/Shanghai';
  const now = Date.parse('2026-12-03T02:00:00Z'); // Thu 10:00 Shanghai
  const local = (ms?: number) => (ms === undefined ? undefined : new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, dateStyle: 'short', timeStyle: 'short' }).format(ms));
  it.each([
    ['等待学校开门 明天8:00', '等待学校开门', '2026-12-04 08:00', undefined],
    ['等待备件 12月5日 14:30', '等待备件', '2026-12-05 14:30', undefined],
    ['等待第三方 16:00', '等待第三方', '2026-12-03 16:00', undefined],
    ['等待第三方 9:30', '等待第三方', '2026-12-04 09:30', undefined], // passed today: tomorrow
    ['等待学校 明天下午', '等待学校', '2026-12-04 14:00', undefined], // the afternoon begins
    ['等待学校 后天3点半', '等待学校', '2026-12-05 15:30', undefined], // 1–6 without 上午: school hours, the afternoon
    ['等待学校 明天上午10点', '等待学校', '2026-12-04 10:00', undefined],
    ['等待学校 明天凌晨3点', '等待学校', '2026-12-04 03:00', undefined],
    ['等待学校 晚上7点', '等待学校', '2026-12-03 19:00', undefined],
    ['等待备件 2', '等待备件 2', undefined, undefined], // a number alone is part of the reason
    ['等待备件 ２月５日 １４：３０', '等待备件', '2027-02-05 14:30', undefined], // full-width
    ['等待备件 12月1日', '等待备件', undefined, 'past-time'], // two days ago, not next December
    ['等待备件 2月29日', '等待备件', undefined, 'invalid-time'], // neither 2027 nor 2026 has one
    ['等待备件 1月6日', '等待备件', '2027-01-06 08:00', undefined],
    ['等待备件', '等待备件', undefined, undefined],
    ['等待备件 2月30日 8:00', '等待备件', undefined, 'invalid-time'],
    ['等待备件 13月1日 8:00', '等待备件', undefined, 'invalid-time'],
    ['等待备件 明天8:75', '等待备件', undefined, 'invalid-time'],
    ['等待备件 25:00', '等待备件', undefined, 'invalid-time'],
    ['等待学校开门 今天8:00', '等待学校开门', undefined, 'past-time'],
    ['明天8:00', '', '2026-12-04 08:00', undefined], // only a time: no reason (挂起 shows its usage)
  ])('%s', (args, reason, until, error) => {
    const r = parsePause(args, now, TZ);
    expect([r.reason, local(r.until), r.error]).toEqual([reason, until, error]);
  });
});
