import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
import { apply } from '../../src/domain/lifecycle.ts';
import { contractFor } from '../../src/domain/contract/contract.ts';
import { decideTimer, markFired } from '../../src/domain/sla/decide.ts';
import { onDuty } from '../../src/domain/sla/on-duty.ts';
import { clockSteps, obsoleteJobIds, pendingSteps, timerJobId } from '../../src/domain/sla/schedule.ts';
import type { Ticket } from '../../src/domain/ticket.ts';
import { refusalText } from '../../src/views/refusals.ts';
import { DateTime } from 'luxon';

const p = loadPolicy(undefined);
const T0 = DateTime.fromISO('2026-11-25T14:00:00', { zone: 'Asia/Shanghai' }).toMillis();
const min = 60_000;
const staff = { kind: 'staff' as const, id: 'lishuang', name: '李爽' };
const teacherBy = { kind: 'user' as const, id: 't-wang', name: '王老师' };

/** A refusal as the person reads it. */
const as = (staffId: string) => ({ staffId, role: 'assignee' });
const lead = (staffId: string) => ({ staffId, role: 'lead' });
const mgr = (staffId: string) => ({ staffId, role: 'manager' });
const explain = (r: ReturnType<typeof apply>, t: Ticket) => (r.ok ? r : { ok: false, reason: refusalText(r.refusal, t, p) });

function ticket(level: 'L1' | 'L3' = 'L1') {
  return newTicket({ n: 7, label: level, confidence: 0.9, reporter: { platform: 'sim', userId: 't-wang', name: '王老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: '平台打不开', truncated: false, attachments: [], messageId: 'm1', now: T0 }, p);
}

describe('SLA schedule', () => {
  it('puts reminder, escalation, breach and repeats where the policy says', () => {
    const t = ticket('L1');
    const steps = clockSteps(7, t.clocks.response!, contractFor(p, t));
    expect(steps.map((s) => [s.step, (s.at - T0) / min])).toEqual([
      ['remind', 20], ['approach', 25], ['breach', 30], ['repeat1', 60], ['repeat2', 90], ['repeat3', 120], ['repeat4', 150], ['manager', 180],
    ]);
    expect(timerJobId(steps[0]!)).toBe('sla-7-response-remind-v1');
  });

  it('reminds the engineers on duty when unassigned, the assignee otherwise', () => {
    const t = ticket();
    const d = decideTimer(t, { clock: 'response', step: 'remind', version: 1 }, T0 + 20 * min, p);
    expect(d).toMatchObject({ act: true, recipients: { staff: [as('lishuang'), as('zhangtianhui')], team: false } });
    const assigned = { ...t, assignee: 'zhangtianhui' };
    expect(decideTimer(assigned, { clock: 'response', step: 'remind', version: 1 }, T0, p)).toMatchObject({ recipients: { staff: [as('zhangtianhui')] } });
  });

  it('escalates to the lead and the team, and a breach of L1 also to the manager', () => {
    const t = ticket('L1');
    expect(decideTimer(t, { clock: 'response', step: 'approach', version: 1 }, T0, p)).toMatchObject({ recipients: { staff: [lead('lishuang')], team: true } });
    expect(decideTimer(t, { clock: 'response', step: 'breach', version: 1 }, T0, p)).toMatchObject({ breachNew: true, recipients: { staff: [lead('lishuang'), mgr('wanghaiqin')], team: true } });
    const l3 = ticket('L3');
    expect(decideTimer(l3, { clock: 'response', step: 'breach', version: 1 }, T0, p)).toMatchObject({ recipients: { staff: [lead('lishuang')] } });
  });

  it('on-site breaches always reach the manager; the lead holding the ticket is told as its assignee', () => {
    const r = apply(ticket('L3'), { kind: 'dispatch' }, { kind: 'staff', id: 'zhangtianhui', name: '张天慧' }, T0 + min, p);
    if (!r.ok) throw new Error(r.refusal.code);
    expect(decideTimer(r.ticket, { clock: 'arrival', step: 'breach', version: 1 }, T0, p)).toMatchObject({ recipients: { staff: [lead('lishuang'), mgr('wanghaiqin')] } });
    const own = apply(ticket('L3'), { kind: 'dispatch' }, staff, T0 + min, p);
    if (!own.ok) throw new Error(own.refusal.code);
    expect(decideTimer(own.ticket, { clock: 'arrival', step: 'breach', version: 1 }, T0, p)).toMatchObject({ recipients: { staff: [as('lishuang'), mgr('wanghaiqin')] } });
    expect(decideTimer(own.ticket, { clock: 'arrival', step: 'approach', version: 1 }, T0, p)).toMatchObject({ recipients: { staff: [as('lishuang'), mgr('wanghaiqin')], team: true } });
  });

  it('a stale or repeated job does nothing', () => {
    const t = ticket();
    expect(decideTimer(t, { clock: 'response', step: 'remind', version: 0 }, T0, p)).toEqual({ act: false, reason: 'stale schedule' });
    const fired = markFired(t, { clock: 'response', version: 1 }, ['remind'], T0, p)!;
    expect(decideTimer(fired, { clock: 'response', step: 'remind', version: 1 }, T0, p)).toEqual({ act: false, reason: 'already fired' });
    expect(markFired(fired, { clock: 'response', version: 1 }, ['remind'], T0, p)).toBeUndefined();
    const acked = apply(t, { kind: 'ack' }, staff, T0 + 5 * min, p);
    if (!acked.ok) throw new Error(acked.refusal.code);
    expect(decideTimer(acked.ticket, { clock: 'response', step: 'breach', version: 1 }, T0, p)).toEqual({ act: false, reason: 'clock stopped' });
    expect(pendingSteps(acked.ticket, p)).toEqual([]);
    expect(obsoleteJobIds(t, acked.ticket, p)).toEqual(['sla-7-response-v1']);
  });

  it('a level change moves the deadline and replaces the timers', () => {
    const t = ticket('L3');
    const r = apply(t, { kind: 'level', level: 'L1' }, staff, T0 + 5 * min, p);
    if (!r.ok) throw new Error(r.refusal.code);
    expect(r.ticket.clocks.response!.dueAt - T0).toBe(30 * min);
    expect(r.ticket.clocks.response!.version).toBe(2);
    expect(pendingSteps(r.ticket, p).every((s) => s.version === 2)).toBe(true);
    expect(obsoleteJobIds(t, r.ticket, p)).toEqual(['sla-7-response-v1']);
  });

  it('follows the rota in local time, else every engineer', () => {
    const rota = loadPolicy(undefined);
    rota.onDuty.rota = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00', engineers: ['zhangtianhui'] }];
    const wed10 = DateTime.fromISO('2026-11-25T10:00:00', { zone: 'Asia/Shanghai' }).toMillis();
    const wed20 = DateTime.fromISO('2026-11-25T20:00:00', { zone: 'Asia/Shanghai' }).toMillis();
    expect(onDuty(rota, wed10)).toEqual(['zhangtianhui']);
    expect(onDuty(rota, wed20)).toEqual(['lishuang', 'zhangtianhui']);
  });
});

describe('ticket lifecycle', () => {
  it('runs 接单 → 上门 → 到场 → 已解决 → 确认 → 评价 with met clocks', () => {
    let t = ticket('L1');
    const step = (a: Parameters<typeof apply>[1], by: Parameters<typeof apply>[2], at: number) => {
      const r = apply(t, a, by, at, p);
      if (!r.ok) throw new Error(r.refusal.code);
      t = r.ticket;
    };
    step({ kind: 'ack' }, staff, T0 + 10 * min);
    expect(t.clocks.response).toMatchObject({ outcome: 'met', stoppedAt: T0 + 10 * min });
    step({ kind: 'dispatch' }, staff, T0 + 15 * min);
    expect(t.clocks.arrival!.dueAt - t.clocks.arrival!.startedAt).toBe(120 * min);
    expect(t.clocks.resolution!.dueAt - (T0 + 15 * min)).toBe(240 * min);
    expect(t.clocks.backup!.dueAt - (T0 + 15 * min)).toBe(72 * 60 * min);
    step({ kind: 'arrive' }, staff, T0 + 200 * min);
    expect(t.clocks.arrival).toMatchObject({ outcome: 'breached', breachedAt: T0 + 135 * min });
    step({ kind: 'resolve', text: '更换了硬盘', parts: ['硬盘'] }, staff, T0 + 230 * min);
    expect(t.status).toBe('resolved');
    expect(t.clocks.resolution!.outcome).toBe('met');
    expect(t.clocks.backup!.outcome).toBe('not-needed');
    step({ kind: 'confirm' }, teacherBy, T0 + 300 * min);
    expect(t.signoff).toEqual({ at: T0 + 300 * min, by: 't-wang', name: '王老师' });
    step({ kind: 'rate', score: 5, comment: '很快' }, teacherBy, T0 + 301 * min);
    expect(t.rating).toMatchObject({ score: 5 });
    expect(t.history.map((h) => h.action)).toEqual(['created', 'ack', 'dispatch', 'arrive', 'resolve', 'confirm', 'rate']);
  });

  it('refuses illegal steps with a Chinese reason', () => {
    const t = ticket();
    expect(explain(apply(t, { kind: 'arrive' }, staff, T0, p), t)).toEqual({ ok: false, reason: '工单 #7 还没有派人上门，请先发送「上门 #7」。' });
    expect(explain(apply(t, { kind: 'confirm' }, teacherBy, T0, p), t)).toMatchObject({ ok: false, reason: expect.stringContaining('还没有处理完') });
    expect(explain(apply(t, { kind: 'resolve', text: '', parts: [] }, staff, T0, p), t)).toMatchObject({ ok: false, reason: expect.stringContaining('请写明处理情况') });
  });
});
