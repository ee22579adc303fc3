import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
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
    const t = startPause(base(), { reason: '等待备件' }, lead, T0 + 10 * min);
    expect(pendingSteps(t, p)).toEqual([]);
    const r = resumePause(t, lead, T0 + 40 * min, () => ALWAYS, p.pause.maxTotal, 'command');
    expect(r.clocks.response!.dueAt).toBe(T0 + 90 * min); // 60 + 30
    expect(r.clocks.response!.version).toBe(base().clocks.response!.version + 2);
    expect(pendingSteps(r, p).map((s) => s.step)).toContain('remind');
  });

  it('never turns a passed deadline into "met"; the total credited is capped', () => {
    const late = startPause(base(), { reason: '等待学校' }, lead, T0 + 70 * min); // due at +60: passed
    expect(resumePause(late, lead, T0 + 200 * min, () => ALWAYS, p.pause.maxTotal, 'command').clocks.response!.dueAt).toBe(T0 + 60 * min);
    const capped = resumePause(startPause(base(), { reason: '等待备件' }, lead, T0), lead, T0 + 100 * min, () => ALWAYS, 30 * min, 'command');
    expect(capped.clocks.response!.dueAt).toBe(T0 + 90 * min);
    expect(apply(capped, { kind: 'pause', reason: '再等', consent: false }, lead, T0 + 101 * min, { ...p, pause: { ...p.pause, maxTotal: 30 * min } })).toMatchObject({ ok: false, refusal: { code: 'pause-cap' } });
  });

  it('in business time the pause counts only working time (a night paused moves nothing)', () => {
    const cal = workCalendar('workhours', { hours: ['08:00-12:00', '14:00-18:00'], holidays: 'cn', daysOff: [], workdays: [] }, 'Asia/Shanghai');
    const t = { ...base(), clocks: { response: { ...base().clocks.response!, dueAt: T0 + 60 * min } } };
    const night = resumePause(startPause(t, { reason: '等待学校开门' }, lead, Date.parse('2026-11-10T10:30:00Z')), lead, Date.parse('2026-11-11T00:00:00Z'), () => cal, p.pause.maxTotal, 'time');
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
