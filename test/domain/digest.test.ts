import { DateTime } from 'luxon';
import { applySteps } from '../support/tickets.ts';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { buildDigest } from '../../src/views/digest.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
import { apply, type LifecycleAction } from '../../src/domain/lifecycle.ts';
import type { Level } from '../../src/domain/levels.ts';

const p = loadPolicy(undefined);
const tz = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone: tz }).toMillis();
const mk = (n: number, level: Level, created: number) =>
  newTicket({ n, label: level, confidence: 1, reporter: { platform: 'sim', userId: 't', name: '王老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: '平台打不开', truncated: false, attachments: [], messageId: `m${n}`, now: created }, p);

describe('daily digest', () => {
  // Posted Wednesday 2026-11-25 08:30 about Tuesday 11-24.
  const now = at('2026-11-25T08:30:00');
  const t1 = mk(1, 'L1', at('2026-11-24T10:00:00')); // yesterday, never acknowledged: breached yesterday 10:30
  let t2 = mk(2, 'L3', at('2026-11-24T14:00:00')); // yesterday, acknowledged in time by 张天慧, resolved
  const steps: [LifecycleAction, number][] = [[{ kind: 'ack' }, 20], [{ kind: 'resolve', text: '重启服务', parts: [] }, 50]];
  for (const [a, m] of steps) {
    const r = apply(t2, a, { kind: 'staff', id: 'zhangtianhui', name: '张天慧' }, t2.createdAt + m * 60_000, p);
    if (!r.ok) throw new Error(r.refusal.code);
    t2 = r.ticket;
  }
  const t3 = mk(3, 'L4', at('2026-11-25T08:00:00')); // today: open, 30 min left on its 1 h window
  const t4 = mk(4, 'L2', at('2026-11-10T09:00:00')); // earlier this month, open and breached long ago
  const text = buildDigest({ now, tickets: [t1, t2, t3, t4] }, p);

  it('counts yesterday by level and what was closed', () => {
    expect(text).toContain('【售后日报】11月24日（周二）');
    expect(text).toContain('昨日新建 2 单（一级故障 1、二级故障 0、三级故障 1、四级故障 0、技术咨询 0、其它问题 0）；昨日处理完成/关闭 1 单。');
  });
  it('lists every open ticket with the time left on its clocks', () => {
    expect(text).toContain('未完成工单（3）：');
    expect(text).toContain('· #3 四级故障 · 未指派 · 响应还剩 30分钟');
    expect(text).toMatch(/· #1 一级故障 · 未指派 · 响应已超时 22小时/);
  });
  it("names yesterday's breaches and who is responsible", () => {
    expect(text).toContain('昨日超时（1）：');
    expect(text).toContain('· #1 一级故障 响应时限 昨天 10:30 · 负责人：未指派（组长 李爽）');
    expect(text).not.toMatch(/#4 二级故障 响应时限/); // breached on the 10th, not yesterday
  });
  it('gives month-to-date KPIs: response 1 of 3 on time', () => {
    expect(text).toContain('本月至今：响应及时率 33.3%（1/3）');
    expect(text).not.toContain('上周');
  });
  it('blames a breach on who held the ticket when it ran out, and shows pending apart', () => {
    let t = mk(5, 'L3', at('2026-11-24T09:00:00'));
    const by = { kind: 'staff' as const, id: 'lishuang', name: '李爽' };
    for (const [a, m] of [[{ kind: 'assign', to: 'zhangtianhui', toName: '张天慧' }, 5], [{ kind: 'assign', to: 'lishuang', toName: '李爽' }, 90], [{ kind: 'ack' }, 100]] as [LifecycleAction, number][]) {
      const r = apply(t, a, by, t.createdAt + m * 60_000, p);
      if (!r.ok) throw new Error(r.refusal.code);
      t = r.ticket;
    }
    const d = buildDigest({ now, tickets: [t, t3] }, p);
    expect(d).toContain('· #5 三级故障 响应时限 昨天 10:00 · 负责人：张天慧');
    expect(d).toContain('本月至今：响应及时率 0.0%（0/1）');
    let onsite = mk(6, 'L3', at('2026-11-24T20:00:00'));
    for (const [a, m] of [[{ kind: 'ack' }, 10], [{ kind: 'dispatch' }, 15]] as [LifecycleAction, number][]) {
      const r = apply(onsite, a, { kind: 'staff', id: 'zhangtianhui', name: '张天慧' }, onsite.createdAt + m * 60_000, p);
      if (!r.ok) throw new Error(r.refusal.code);
      onsite = r.ticket;
    }
    // arrival and recovery ran out overnight; the 72 h backup clock is still running: pending, not missed
    expect(buildDigest({ now, tickets: [onsite] }, p)).toContain('到场及时率 0.0%（0/1） · 恢复及时率 0.0%（0/1） · 备用系统及时率 —，进行中 1');
  });
  it('warns about messages that failed for good', () => {
    expect(buildDigest({ now, tickets: [], failedSends: 2 }, p)).toContain('有 2 条消息多次重试后仍发送失败');
    expect(text).not.toContain('发送失败');
  });
  it('adds last week on Mondays', () => {
    const monday = buildDigest({ now: at('2026-11-30T08:30:00'), tickets: [t1, t2, t3, t4] }, p);
    expect(monday).toContain('上周：新建 3 单');
  });
});

describe('digest as of its moment (npx aftersales digest --date)', () => {
  // The digest posted on the morning of Wed 2026-11-25 (08:30) reports Tue 11-24, as things stood at 08:30.
  const now = at('2026-11-25T08:30:00');
  const staff = { kind: 'staff' as const, id: 'zhangtianhui', name: '张天慧' };
  const run = (t: ReturnType<typeof mk>, steps: [LifecycleAction, string][]) => applySteps(t, steps.map(([a, iso]) => [a, at(iso)]), staff, p);

  it('titles the day it reports and the moment it is as of', () => {
    const text = buildDigest({ now, tickets: [] }, p);
    expect(text.split('\n')[0]).toBe('【售后日报】11月24日（周二） · 截至 11月25日 08:30');
  });

  it('leaves out a ticket created after the moment', () => {
    const early = mk(1, 'L3', at('2026-11-25T08:00:00'));
    const late = mk(2, 'L1', at('2026-11-25T09:15:00'));
    const text = buildDigest({ now, tickets: [early, late] }, p);
    expect(text).toContain('未完成工单（1）：');
    expect(text).toContain('· #1 三级故障 · 未指派 · 响应还剩 30分钟');
    expect(text).not.toContain('#2');
    expect(text).toBe(buildDigest({ now, tickets: [early] }, p));
  });

  it('shows a ticket resolved after the moment as still open, its clocks running', () => {
    // Created and handled Tuesday; 上门 Tuesday 20:00 (arrival/recovery deadlines run out overnight); 已解决 at 10:00 Wednesday.
    const t = run(mk(3, 'L3', at('2026-11-24T19:40:00')), [
      [{ kind: 'ack' }, '2026-11-24T19:50:00'],
      [{ kind: 'dispatch' }, '2026-11-24T20:00:00'],
      [{ kind: 'resolve', text: '更换硬盘', parts: ['硬盘'] }, '2026-11-25T10:00:00'],
      [{ kind: 'confirm' }, '2026-11-25T10:05:00'],
    ]);
    expect(t.status).toBe('confirmed');
    const text = buildDigest({ now, tickets: [t] }, p);
    expect(text).toContain('昨日新建 1 单');
    expect(text).toContain('昨日处理完成/关闭 0 单。');
    expect(text).toContain('未完成工单（1）：');
    expect(text).toMatch(/· #3 三级故障 · 张天慧 · 到场已超时 10小时30分钟，解决已超时 8小时30分钟，备用系统还剩 2天12小时/);
    expect(text).toContain('到场及时率 0.0%（0/1） · 恢复及时率 0.0%（0/1） · 备用系统及时率 —，进行中 1');
    // The same ticket on the next morning: resolved and signed, no longer open.
    const next = buildDigest({ now: at('2026-11-26T08:30:00'), tickets: [t] }, p);
    expect(next).toContain('昨日处理完成/关闭 1 单。');
    expect(next).toContain('未完成工单：无 👍');
  });

  it('keeps a clock stopped after the moment running (acknowledged at 09:00 → still unacknowledged at 08:30)', () => {
    const t = run(mk(4, 'L4', at('2026-11-25T08:00:00')), [[{ kind: 'ack' }, '2026-11-25T09:00:00']]);
    const text = buildDigest({ now, tickets: [t] }, p);
    expect(text).toContain('· #4 四级故障 · 未指派 · 响应还剩 30分钟');
    // Created yesterday at 22:00 with a 1 h window, acknowledged only after the moment: breached yesterday, still running at 08:30.
    const y = run(mk(6, 'L4', at('2026-11-24T22:00:00')), [[{ kind: 'ack' }, '2026-11-25T08:45:00']]);
    const d = buildDigest({ now, tickets: [y] }, p);
    expect(d).toContain('· #6 四级故障 · 未指派 · 响应已超时 9小时30分钟');
    expect(d).toContain('· #6 四级故障 响应时限 昨天 23:00 · 负责人：未指派（组长 李爽）');
    expect(d).toContain('本月至今：响应及时率 0.0%（0/1）');
  });

  it('words a ticket re-graded after the moment at its level of the time', () => {
    const t = run(mk(5, 'L3', at('2026-11-25T08:00:00')), [[{ kind: 'level', level: 'L1' }, '2026-11-25T08:40:00']]);
    expect(t.clocks.response!.dueAt).toBe(at('2026-11-25T08:30:00'));
    expect(buildDigest({ now, tickets: [t] }, p)).toContain('· #5 三级故障 · 未指派 · 响应还剩 30分钟');
  });
});
