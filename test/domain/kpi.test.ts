import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
import { kpis, kpisByEngineer, kpisByLevel } from '../../src/domain/reports/kpi.ts';
import { apply, type LifecycleAction } from '../../src/domain/lifecycle.ts';
import type { Level } from '../../src/domain/levels.ts';
import type { Ticket } from '../../src/domain/ticket.ts';

const p = loadPolicy(undefined);
const min = 60_000;
const NOW = 1_800_000_000_000;
const lead = { kind: 'staff' as const, id: 'lishuang', name: '李爽' };
const deputy = { kind: 'staff' as const, id: 'zhangtianhui', name: '张天慧' };
const teacher = { kind: 'user' as const, id: 't', name: '王老师' };

function ticket(n: number, level: Level, created: number, steps: [LifecycleAction, typeof lead | typeof teacher, number][] = []): Ticket {
  let t = newTicket({ n, label: level, confidence: 1, reporter: { platform: 'sim', userId: 't', name: '王老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: 'x', truncated: false, attachments: [], messageId: `m${n}`, now: created }, p);
  for (const [a, by, at] of steps) {
    const r = apply(t, a, by, created + at * min, p);
    if (!r.ok) throw new Error(r.refusal.code);
    t = r.ticket;
  }
  return t;
}

const t0 = NOW - 24 * 60 * min;
const fixtures = [
  // L1: response met (10 < 30), arrival breached (200 > 15+120), resolution met (230 < 15+240), parts, signed, rated 5
  ticket(1, 'L1', t0, [[{ kind: 'ack' }, lead, 10], [{ kind: 'dispatch' }, lead, 15], [{ kind: 'arrive' }, lead, 200], [{ kind: 'resolve', text: '换硬盘', parts: ['硬盘'] }, lead, 230], [{ kind: 'confirm' }, teacher, 300], [{ kind: 'rate', score: 5, comment: '' }, teacher, 301]]),
  // L3: response breached (70 > 60), fixed by phone (no on-site clocks), not signed, rated 3
  ticket(2, 'L3', t0, [[{ kind: 'ack' }, deputy, 70], [{ kind: 'resolve', text: '远程处理', parts: [] }, deputy, 80], [{ kind: 'rate', score: 3, comment: '' }, teacher, 90]]),
  // L4 still open, not yet due: excluded
  ticket(3, 'L4', NOW - 10 * min),
  // L2 still open and past its deadline: breached
  ticket(4, 'L2', NOW - 120 * min),
  // L3 cancelled: excluded
  ticket(5, 'L3', t0, [[{ kind: 'cancel' }, teacher, 5]]),
];

describe('KPIs on hand-computed tickets', () => {
  const k = kpis(fixtures, NOW);
  it('response timeliness: met 1, breached 2 (one still open past due), the not-yet-due and the cancelled excluded', () => {
    expect(k.response).toEqual({ met: 1, breached: 2, pending: 1, rate: 1 / 3, missed: [2, 4] });
  });
  it('on-site arrival, recovery, backup and spare parts', () => {
    expect(k.arrival).toEqual({ met: 0, breached: 1, pending: 0, rate: 0, missed: [1] });
    expect(k.resolution).toEqual({ met: 1, breached: 0, pending: 0, rate: 1, missed: [] });
    expect(k.backup).toEqual({ met: 0, breached: 0, pending: 0, rate: undefined, missed: [] }); // resolved in time: not needed
    expect(k.spareParts).toEqual({ met: 1, breached: 0, pending: 0, rate: 1, missed: [] });
  });
  it('satisfaction and sign-off', () => {
    expect(k.satisfaction).toEqual({ average: 4, rated: 2, finished: 2, pending: 0, responseRate: 1 });
    expect(k.signoff).toEqual({ signed: 1, finished: 2, unsigned: [2], pending: [], rate: 0.5 });
  });
  it('per level and per engineer', () => {
    const byLevel = kpisByLevel(fixtures, NOW);
    expect(byLevel.L1.response.rate).toBe(1);
    expect(byLevel.L2.response.rate).toBe(0);
    expect(byLevel.L3.response).toMatchObject({ met: 0, breached: 1 });
    expect(byLevel.L4.response.rate).toBeUndefined();
    const byEngineer = kpisByEngineer(fixtures, NOW);
    expect(Object.keys(byEngineer)).toEqual(['lishuang', 'zhangtianhui']);
    expect(byEngineer.lishuang!.arrival.rate).toBe(0);
    expect(byEngineer.zhangtianhui!.response.rate).toBe(0);
  });
});
