import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
import { apply, type By, type LifecycleAction } from '../../src/domain/lifecycle.ts';
import type { Level } from '../../src/domain/levels.ts';
import { complianceData } from '../../src/domain/reports/compliance.ts';
import { kpis, kpisByEngineer } from '../../src/domain/reports/kpi.ts';
import { decideTimer, markFired, type TimerNotice } from '../../src/domain/sla/decide.ts';
import { pendingSteps, timerJobId } from '../../src/domain/sla/schedule.ts';
import type { ClockName, Ticket } from '../../src/domain/ticket.ts';
import { complianceReport, reportMarkdown } from '../../src/views/compliance-report.ts';
import { ticketDetail } from '../../src/views/ticket.ts';
import { leftPhrase } from '../../src/views/time.ts';
import { timerMessages } from '../../src/views/timer-messages.ts';

const p = loadPolicy(undefined);
const min = 60_000;
const T0 = DateTime.fromISO('2026-11-25T09:00:00', { zone: 'Asia/Shanghai' }).toMillis();
const lead: By = { kind: 'staff', id: 'lishuang', name: '李爽' };
const deputy: By = { kind: 'staff', id: 'zhangtianhui', name: '张天慧' };

function ticket(level: Level, n = 12): Ticket {
  return newTicket({ n, label: level, confidence: 1, reporter: { platform: 'sim', userId: 't-wang', name: '王老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: '实训平台打不开了，全班都登不上去', truncated: false, attachments: [], messageId: `m${n}`, now: T0 }, p);
}

function act(t: Ticket, a: LifecycleAction, by: By, atMin: number): Ticket {
  const r = apply(t, a, by, T0 + atMin * min, p);
  if (!r.ok) throw new Error(r.refusal.code);
  return r.ticket;
}

/** Runs a clock's due timer the way the engine does: decide, then mark what it stands for. */
function fire(t: Ticket, clock: ClockName, step: string, atMin: number): { t: Ticket; d: TimerNotice } {
  const c = t.clocks[clock]!;
  const d = decideTimer(t, { clock, step: step as never, version: c.version }, T0 + atMin * min, p);
  if (!d.act) throw new Error(d.reason);
  return { t: markFired(t, { clock, version: c.version }, d.steps, T0 + atMin * min, p)!, d };
}

describe('catch-up: one notice of the current state', () => {
  it('a timer 2 h 15 min late folds every missed step into one message per person, counter at the repeats passed', () => {
    const t = ticket('L1');
    const { t: after, d } = fire(t, 'response', 'remind', 135);
    expect(d.steps).toEqual(['remind', 'approach', 'breach', 'repeat1', 'repeat2', 'repeat3']);
    expect(d).toMatchObject({ step: 'repeat3', breachNew: true, repeats: 3, catchUp: true, managerTold: true });
    const out = timerMessages(p, t, d, T0 + 135 * min);
    const to = out.map((o) => (o.dest.to === 'staff' ? o.dest.staffId : o.dest.to));
    expect(to).toEqual(['lishuang', 'zhangtianhui', 'wanghaiqin', 'team', 'origin']); // each once
    // The teacher hears of the missed deadline once, in one short line, under their report.
    expect(out[4]!.msg.text).toBe('工单 #12：响应已超时，已通知组长李爽跟进。');
    expect(out[4]!.dest).toMatchObject({ to: 'origin', replyTo: t.messageId });
    const leadText = out[0]!.msg.text;
    expect(leadText).toContain('🚨 已超时：工单 #12（一级故障）响应时限');
    expect(leadText).toContain('已超时 1小时45分钟');
    expect(leadText).toContain('已催办 3/4 次');
    expect(leadText).toContain('接单 #12');
    expect(leadText).toContain('合并为这一条');
    for (const o of out) expect(o.msg.text).not.toMatch(/0秒/);
    // Every step up to now is marked: the next repeat is the 4th, at its own moment.
    expect(pendingSteps(after, p).map((s) => [s.step, (s.at - T0) / min])).toEqual([['repeat4', 150], ['manager', 180]]);
    expect(after.clocks.response!.breach).toMatchObject({ at: T0 + 30 * min, onDuty: ['lishuang', 'zhangtianhui'] });
    // Another job of the same clock that runs now finds its step done.
    expect(decideTimer(after, { clock: 'response', step: 'approach', version: 1 }, T0 + 135 * min, p)).toEqual({ act: false, reason: 'already fired' });
  });

  it('on time, a step is itself; a single step more than the grace late says it comes late', () => {
    const t = ticket('L3');
    expect(fire(t, 'response', 'remind', 40).d).toMatchObject({ steps: ['remind'], catchUp: false });
    const late = fire(t, 'response', 'remind', 42).d; // 2 minutes late, approach (50) not yet due
    expect(late).toMatchObject({ steps: ['remind'], catchUp: true });
    expect(timerMessages(p, t, late, T0 + 42 * min)[0]!.msg.text).toContain('还剩 18分钟');
  });

  it('never says 0秒', () => {
    expect(leftPhrase(0)).toBe('即将超时');
    expect(leftPhrase(400)).toBe('即将超时');
    expect(leftPhrase(-400)).toBe('刚刚超时');
    expect(leftPhrase(-90 * min)).toBe('已超时 1小时30分钟');
    expect(leftPhrase(2 * 3600_000 + 15 * min + 3000)).toBe('还剩 2小时15分钟');
  });
});

describe('re-grading keeps what happened', () => {
  it('改级 twice sends no step twice and keeps the breach', () => {
    let t = ticket('L1');
    for (const [step, at] of [['remind', 20], ['approach', 25], ['breach', 30]] as const) t = fire(t, 'response', step, at).t;
    const breach = t.clocks.response!.breach;
    t = act(t, { kind: 'level', level: 'L3' }, lead, 35); // 60 min window: remind 40, approach 50 were sent as L1's
    expect(t.clocks.response).toMatchObject({ fired: ['remind', 'approach', 'breach'], breach });
    expect(pendingSteps(t, p).map((s) => s.step)).toEqual(['repeat1', 'repeat2', 'repeat3', 'repeat4', 'manager']);
    t = act(t, { kind: 'level', level: 'L1' }, lead, 36);
    expect(pendingSteps(t, p).map((s) => s.step)).toEqual(['repeat1', 'repeat2', 'repeat3', 'repeat4', 'manager']);
    t = act(t, { kind: 'ack' }, deputy, 45); // within L3's new deadline, but the L1 breach stays a fact
    expect(t.clocks.response).toMatchObject({ outcome: 'breached', breach });
  });

  it('an upgrade that makes the clock overdue sends one catch-up notice', () => {
    let t = ticket('L3');
    t = act(t, { kind: 'level', level: 'L1' }, lead, 45);
    const { d } = fire(t, 'response', 'remind', 45);
    expect(d).toMatchObject({ steps: ['remind', 'approach', 'breach'], breachNew: true, catchUp: true });
  });
});

describe('breaches are facts', () => {
  it('a remote resolve after a missed arrival is a breach, in the KPIs and in the compliance report', () => {
    let t = ticket('L2');
    t = act(t, { kind: 'dispatch' }, deputy, 10); // arrival due at 130
    t = act(t, { kind: 'resolve', text: '远程处理完成', parts: [] }, deputy, 150); // nobody came
    expect(t.clocks.arrival).toMatchObject({ outcome: 'breached', unmet: true, breach: { at: T0 + 130 * min, assignee: 'zhangtianhui' } });
    expect(t.clocks.backup?.outcome).toBe('not-needed');
    expect(kpis([t], T0 + 200 * min).arrival).toMatchObject({ met: 0, breached: 1, missed: [12] });
    const md = reportMarkdown(complianceReport([t], '2026-11-25', '2026-11-25', T0 + 200 * min, p));
    expect(md).toContain('| 现场响应 · 到达现场 | 2小时内到达 | 0 | 1 | 0.0% | #12 | 0 |');
    const detail = ticketDetail(p, t, T0 + 200 * min).text;
    expect(detail).toContain('到场：超时（时限');
    expect(detail).not.toContain('备用系统'); // a clock the ticket did not need is not listed
    expect(detail).not.toContain('无需');
  });

  it('a remote resolve within the arrival window needs no arrival', () => {
    let t = ticket('L2');
    t = act(t, { kind: 'dispatch' }, deputy, 10);
    t = act(t, { kind: 'resolve', text: '远程处理完成', parts: [] }, deputy, 60);
    expect(t.clocks.arrival?.outcome).toBe('not-needed');
    expect(kpis([t], T0 + 200 * min).arrival).toMatchObject({ met: 0, breached: 0 });
  });

  it('blame goes to the holder at the breach moment, not the holder at report time', () => {
    const run = (withTimer: boolean) => {
      let t = ticket('L3');
      t = act(t, { kind: 'assign', to: 'zhangtianhui', toName: '张天慧' }, lead, 5);
      if (withTimer) t = fire(t, 'response', 'breach', 60).t;
      t = act(t, { kind: 'assign', to: 'lishuang', toName: '李爽' }, lead, 90);
      t = act(t, { kind: 'ack' }, lead, 100);
      return t;
    };
    for (const withTimer of [true, false]) {
      const t = run(withTimer);
      expect(t.clocks.response!.breach?.assignee).toBe('zhangtianhui');
      const by = kpisByEngineer([t], T0 + 200 * min);
      expect(by.zhangtianhui!.response).toMatchObject({ met: 0, breached: 1 });
      expect(by.lishuang!.response).toMatchObject({ met: 0, breached: 0 });
      const md = reportMarkdown(complianceReport([t], '2026-11-25', '2026-11-25', T0 + 200 * min, p));
      expect(md).toContain('| 张天慧 | 1 | 0.0% |');
      expect(md).toContain('| 李爽 | 1 | — |');
    }
  });

  it('closing after a passed deadline keeps it breached', () => {
    let t = ticket('L1');
    t = act(t, { kind: 'close', reason: '重复报修' }, lead, 45);
    expect(t.clocks.response).toMatchObject({ outcome: 'breached', unmet: true });
    let early = ticket('L1');
    early = act(early, { kind: 'close', reason: '重复报修' }, lead, 5);
    expect(early.clocks.response?.outcome).toBe('cancelled');
  });
  it('re-opening keeps a breached response: a prompt second 接单 does not turn it into 按时', () => {
    let t = ticket('L1');
    t = act(t, { kind: 'ack' }, lead, 45); // 15 minutes late
    t = act(t, { kind: 'resolve', text: '重启了服务', parts: [] }, lead, 60);
    t = act(t, { kind: 'reopen' }, lead, 120); // the teacher wrote "#12 又不行了"
    t = act(t, { kind: 'ack' }, lead, 122); // on time this time
    expect(t.clocks.response).toMatchObject({ outcome: 'breached', breach: { at: T0 + 30 * min } });
    expect(kpis([t], T0 + 200 * min, { signoffWindow: p.reminders.signoff }).response).toMatchObject({ met: 0, breached: 1 });
    let fine = ticket('L1');
    fine = act(fine, { kind: 'ack' }, lead, 5);
    fine = act(fine, { kind: 'resolve', text: '重启了服务', parts: [] }, lead, 10);
    fine = act(fine, { kind: 'reopen' }, lead, 20);
    fine = act(fine, { kind: 'ack' }, lead, 22);
    expect(fine.clocks.response?.outcome).toBe('met');
  });
  it('a second visit after a reopen starts the on-site clocks under new versions: its reminders have keys of their own', () => {
    let t = ticket('L1');
    t = act(t, { kind: 'dispatch' }, lead, 5);
    const first = pendingSteps(t, p).filter((s) => s.clock === 'arrival').map(timerJobId);
    t = act(t, { kind: 'arrive' }, lead, 60);
    t = act(t, { kind: 'resolve', text: '更换了交换机', parts: [] }, lead, 90);
    t = act(t, { kind: 'reopen' }, lead, 200);
    t = act(t, { kind: 'dispatch' }, lead, 205);
    expect(t.clocks.arrival).toMatchObject({ version: 2, fired: [] });
    const second = pendingSteps(t, p).filter((s) => s.clock === 'arrival').map(timerJobId);
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((k) => first.includes(k))).toEqual([]);
  });
});

describe('pending is not failed', () => {
  it('a sign-off inside its window is pending, not 未签字', () => {
    let t = ticket('L3');
    t = act(t, { kind: 'ack' }, deputy, 10);
    t = act(t, { kind: 'resolve', text: '远程处理完成', parts: [] }, deputy, 20);
    const within = complianceData([t], '2026-11-25', '2026-11-25', T0 + 5 * 60 * min, p).commitments.find((c) => c.kind === 'signoff');
    expect(within).toMatchObject({ signed: 0, unsigned: [], pending: [12], rate: undefined });
    const md = reportMarkdown(complianceReport([t], '2026-11-25', '2026-11-25', T0 + 5 * 60 * min, p));
    expect(md).toContain('| 服务报告用户签字 | 每次服务后提交服务报告并经用户签字确认 | 0 | 0 | — |  | 1 |');
    const after = complianceData([t], '2026-11-25', '2026-11-25', T0 + 25 * 60 * min, p).commitments.find((c) => c.kind === 'signoff');
    expect(after).toMatchObject({ signed: 0, unsigned: [12], pending: [], rate: 0 });
    // The same holds for the satisfaction survey: not rated yet inside the window is pending.
    expect(md).toContain('| 满意度测评 | 每次故障处理后进行满意度测评 | 0 | 0 | — |  | 1 |');
    expect(complianceData([t], '2026-11-25', '2026-11-25', T0 + 25 * 60 * min, p).commitments.find((c) => c.kind === 'satisfaction')).toMatchObject({ rated: 0, finished: 1, pending: 0, responseRate: 0 });
  });

  it('a clock still within its deadline is pending', () => {
    const k = kpis([ticket('L3')], T0 + 10 * min);
    expect(k.response).toMatchObject({ met: 0, breached: 0, pending: 1, rate: undefined });
  });
});

describe('the chain goes on', () => {
  it('after the 4th repeat the manager gets one summary and the team hears he was told', () => {
    let t = ticket('L3'); // an L3 breach does not go to the manager
    for (const [step, at] of [['remind', 40], ['approach', 50], ['breach', 60], ['repeat1', 90], ['repeat2', 120], ['repeat3', 150], ['repeat4', 180]] as const) {
      const r = fire(t, 'response', step, at);
      expect(r.d.recipients.staff.map((x) => x.staffId)).not.toContain('wanghaiqin');
      expect(r.d.recipients.staff.length).toBeGreaterThan(0);
      t = r.t;
    }
    const { t: done, d } = fire(t, 'response', 'manager', 210);
    expect(d.recipients).toEqual({ staff: [{ staffId: 'wanghaiqin', role: 'manager' }], team: true });
    const out = timerMessages(p, t, d, T0 + 210 * min);
    expect(out[0]!.msg.text).toContain('📋 超时汇总：工单 #12');
    expect(out[0]!.msg.text).toContain('已催办 4 次');
    expect(out[1]!.msg.text).toContain('已通知经理王海芹');
    expect(pendingSteps(done, p)).toEqual([]); // then the engine stops
  });

  it('never tells the lead to follow up on his own ticket: he is the assignee, the manager is told', () => {
    let t = ticket('L3');
    t = act(t, { kind: 'assign', to: 'lishuang', toName: '李爽' }, lead, 1);
    const { d } = fire(t, 'response', 'approach', 50);
    const out = timerMessages(p, t, d, T0 + 50 * min);
    const leadText = out.find((o) => o.dest.to === 'staff' && o.dest.staffId === 'lishuang')!.msg.text;
    expect(leadText).not.toContain('请组长跟进');
    expect(leadText).toContain('请尽快处理，完成后发送「接单 #12」');
    expect(out.find((o) => o.dest.to === 'staff' && o.dest.staffId === 'wanghaiqin')!.msg.text).toContain('请经理跟进');
    // At the breach (an L3: normally the lead's), the lead and the team read that the manager was told.
    const { t: t2 } = fire(t, 'response', 'approach', 50);
    const b = fire(t2, 'response', 'breach', 60).d;
    expect(b.managerTold).toBe(true);
    const texts = timerMessages(p, t2, b, T0 + 60 * min);
    expect(texts.find((o) => o.dest.to === 'team')!.msg.text).toContain('已通知经理王海芹');
    expect(texts.find((o) => o.dest.to === 'origin')!.msg.text).toBe('工单 #12：响应已超时，已通知经理王海芹跟进。');
  });

  it('every 催办 carries the text, how late it is and the command that ends it', () => {
    let t = ticket('L2');
    t = act(t, { kind: 'dispatch' }, deputy, 5);
    for (const [step, at] of [['remind', 85], ['approach', 105], ['breach', 125]] as const) t = fire(t, 'arrival', step, at).t;
    const { d } = fire(t, 'arrival', 'repeat1', 155);
    const text = timerMessages(p, t, d, T0 + 155 * min)[0]!.msg.text;
    expect(text).toContain('第 1/4 次催办');
    expect(text).toContain('实训平台打不开了');
    expect(text).toContain('已超时 30分钟');
    expect(text).toContain('「到场 #12」');
  });
});

describe('tickets stored before the holder was recorded', () => {
  it('an old 接单 still names the holder after a new 派单 is recorded', async () => {
    const { holderAt } = await import('../../src/domain/ticket.ts');
    let t = ticket('L3');
    t = act(t, { kind: 'ack' }, deputy, 5);
    // As stored before events carried `assignee`:
    t = { ...t, history: t.history.map(({ assignee: _a, ...h }) => h) };
    t = act(t, { kind: 'assign', to: 'lishuang', toName: '李爽' }, lead, 90);
    expect(holderAt(t, T0 + 30 * min)).toBe('zhangtianhui');
    expect(holderAt(t, T0 + 100 * min)).toBe('lishuang');
  });
});

describe('clocks stored before breaches were facts', () => {
  it('a legacy 无需 arrival ended after its deadline counts as missed', () => {
    let t = ticket('L3');
    t = act(t, { kind: 'dispatch' }, deputy, 5);
    t = act(t, { kind: 'resolve', text: '远程处理完成', parts: [] }, deputy, 200); // arrival was due at 125
    const legacy: Ticket = { ...t, clocks: { ...t.clocks, arrival: { ...t.clocks.arrival!, outcome: 'not-needed', unmet: undefined, breach: undefined, breachedAt: undefined } } };
    expect(kpis([legacy], T0 + 300 * min).arrival).toMatchObject({ met: 0, breached: 1 });
    let inTime = ticket('L3');
    inTime = act(inTime, { kind: 'dispatch' }, deputy, 5);
    inTime = act(inTime, { kind: 'resolve', text: '远程处理完成', parts: [] }, deputy, 60);
    expect(kpis([inTime], T0 + 300 * min).arrival).toMatchObject({ met: 0, breached: 0 });
  });
});
