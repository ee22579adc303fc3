import { DateTime } from 'luxon';
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
