import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { faultSignature } from '../../src/domain/incident/fault-signature.ts';
import { absorbInto, joinReport, matchIncident, mergeTickets, pickPart, splitOut, splitParts } from '../../src/domain/incident/incident.ts';
import { sameFault } from '../../src/domain/incident/same-fault.ts';
import { appendFollowUp, decideFollowUp, newTicket } from '../../src/domain/intake-rules.ts';
import { apply } from '../../src/domain/lifecycle.ts';
import type { Level } from '../../src/domain/levels.ts';
import { complianceData } from '../../src/domain/reports/compliance.ts';
import { kpis } from '../../src/domain/reports/kpi.ts';
import { asOf } from '../../src/domain/as-of.ts';
import { reportersOf, type Ticket } from '../../src/domain/ticket.ts';

const p = loadPolicy(undefined);
const min = 60_000;
const T0 = Date.parse('2026-11-10T01:00:00Z'); // a Tuesday, 09:00 in Shanghai
const lead = { kind: 'staff' as const, id: 'lishuang', name: '李爽' };
const school = { platform: 'sim' as const, chatId: 'school', kind: 'group' as const };
const actor = (id: string) => ({ platform: 'sim' as const, userId: id, name: `${id}老师` });

function ticket(n: number, text: string, level: Level, at: number, who = `t${n}`): Ticket {
  return newTicket({ n, label: level, confidence: 1, reporter: actor(who), chat: school, text, truncated: false, attachments: [], messageId: `m${n}`, now: at }, p);
}
const same = (a: string, b: string) => sameFault(faultSignature(a), faultSignature(b));

describe('same fault or not (docs/DECISIONS.md)', () => {
  it.each([
    ['实训平台打不开了，学生都进不去', '平台登不上了，一直转圈', 'same'],
    ['实训平台打不开了，学生都进不去', '我们班也是', 'same'],
    ['实训平台打不开了，学生都进不去', '+1', 'same'],
    ['系统登录页打不开了，所有人都进不去', '302机房也上不去平台，报502', 'same'],
    ['凭证录入模块打不开了', '凭证模块点进去报错', 'same'],
    ['服务器硬盘报警了', '机柜那边一直在滴滴叫，服务器面板亮红灯', 'same'],
    ['5号机房投影仪不亮', '5号机房的投影仪也不亮了', 'same'],
    ['平台打不开了', '成绩模块打不开', 'maybe'],
    ['投影仪坏了，没法上课', '投影仪坏了，没法上课', 'maybe'], // two rooms, or one? nobody said
    ['5号机房投影仪不亮', '投影仪没声音', 'maybe'],
    ['服务器挂了，今天的课全停了', '机柜温度报警，一直在响', 'maybe'], // one rack, two faults perhaps: a person decides
    ['实训中心整个断电了，一片黑', '机房的UPS一直在叫', 'same'], // a power cut takes its alarms with it
    ['5号机房投影仪不亮', '3号机房也黑屏了', 'different'], // "too", but another room's device
    ['实训平台打不开了', '3号机房也打不开', 'same'], // the platform is down in every room
    ['张老师的账号被锁定了', '我的账号登不上了', 'maybe'], // accounts are personal
    ['实训平台打不开了，学生都进不去', '还有，3号机房的投影仪不亮', 'different'],
    ['5号机房投影仪不亮', '3号机房投影仪不亮', 'different'],
    ['凭证录入模块打不开了', '报表模块也打不开', 'different'],
    ['平台打不开了', '另外打印机卡纸了', 'different'],
    ['一台电脑耳机没声音', '另外有台电脑鼠标不动了', 'different'],
    ['机房第1台电脑蓝屏了，开不了机', '机房第2台电脑蓝屏了，开不了机', 'different'],
  ])('%s / %s → %s', (a, b, want) => {
    expect(same(a, b)).toBe(want);
  });
});

describe('joining an incident', () => {
  const outage = ticket(12, '实训平台打不开了，学生都进不去', 'L1', T0);
  const report = (id: string, text: string, at: number) => ({ actor: actor(id), chat: school, messageId: `msg-${id}`, at, text, attachments: [] });

  it('finds the open incident a report is the same fault as, within the join window of its last report', () => {
    const lamp = ticket(13, '5号机房投影仪不亮', 'L3', T0 + min);
    expect(matchIncident('平台登不上了，一直转圈', 'L1', school, [lamp, outage], T0 + 5 * min, p)).toMatchObject({ ticket: { n: 12 }, sameness: 'same' });
    expect(matchIncident('我们班也是', 'none', school, [outage, lamp], T0 + 5 * min, p)?.ticket.n).toBe(13); // the latest in the chat
    expect(matchIncident('平台登不上了', 'L1', school, [outage], T0 + 31 * min, p)).toBeUndefined(); // window passed
    const joined = joinReport(outage, report('b', '平台还是打不开', T0 + 20 * min), 'L1', p);
    expect(matchIncident('平台登不上了', 'L1', school, [joined], T0 + 45 * min, p)?.ticket.n).toBe(12); // a continuing outage keeps gathering
    const acked = apply(outage, { kind: 'resolve', text: '好了', parts: [] }, lead, T0 + 2 * min, p);
    expect(acked.ok && matchIncident('平台登不上了', 'L1', school, [acked.ticket], T0 + 5 * min, p)).toBeUndefined(); // ended: a new ticket
    expect(matchIncident('平台登不上了', 'L1', school, [outage], T0 + 5 * min, { ...p, incident: { joinWindow: 0 } })).toBeUndefined();
    // A bare "us too" from a chat where no incident was talked about joins nothing.
    expect(matchIncident('我也是', 'none', { platform: 'sim', chatId: 'p2p:x', kind: 'p2p' }, [outage], T0 + 5 * min, p)).toBeUndefined();
  });

  it('adds a reporter and no clock; a more severe report raises the level; the same message twice changes nothing', () => {
    const slow = ticket(20, '平台有点慢，页面加载要好久', 'L3', T0);
    const j = joinReport(slow, report('b', '平台彻底打不开了，所有人都进不去', T0 + 3 * min), 'L1', p);
    expect(j.coReporters!.map((c) => c.actor.userId)).toEqual(['b']);
    expect(Object.keys(j.clocks)).toEqual(['response']);
    expect(j.clocks.response!.startedAt).toBe(T0);
    expect(j.level).toBe('L1');
    expect(j.clocks.response!.dueAt).toBe(T0 + 30 * min);
    expect(joinReport(j, report('b', '平台彻底打不开了，所有人都进不去', T0 + 3 * min), 'L1', p)).toBe(j);
  });
});

describe('separate faults stay separate', () => {
  const t = ticket(30, '5号实训室的电脑都登不上平台', 'L1', T0);
  it.each([
    ['还有，3号机房的投影仪也不亮了', 'L3', 'new'],
    ['另外打印机也卡纸了', 'L4', 'new'],
    ['补充：现在全部都打不开了', 'L1', 'append'],
    ['还有好几台电脑也登不上', 'L1', 'append'],
    ['是从早上8点开始的', 'none', 'append'],
  ] as const)('%s → %s', (text, label, kind) => {
    expect(decideFollowUp(label, text, t, T0 + 2 * min, p).kind).toBe(kind);
  });
});

describe('合并 and 拆分', () => {
  it('merge: reporters, words and attachments move; the source ends merged with its clocks cancelled; the more severe level wins', () => {
    const a = ticket(12, '7号机房投影仪不亮了', 'L3', T0, 'a');
    const b = { ...ticket(13, '7号机房投影仪没画面，一个班都没法上课', 'L3', T0 + min, 'b'), attachments: [{ kind: 'image' as const, ref: 'img-1' }] };
    const r = mergeTickets(b, a, lead, T0 + 10 * min, p);
    if (!r.ok) throw new Error(r.refusal);
    expect(r.target.coReporters).toEqual([expect.objectContaining({ actor: actor('b'), via: 'merge', from: 13, messageId: 'm13' })]);
    expect(r.target.attachments).toEqual([{ kind: 'image', ref: 'img-1' }]);
    expect(r.target.history.at(-1)).toMatchObject({ action: 'merge', ticket: 13, detail: '7号机房投影仪没画面，一个班都没法上课' });
    expect(r.source).toMatchObject({ status: 'merged', mergedInto: 12 });
    expect(r.source.clocks.response).toMatchObject({ outcome: 'cancelled' });
    expect(mergeTickets(r.source, a, lead, T0 + 11 * min, p)).toEqual({ ok: false, refusal: 'already-merged' });
    expect(mergeTickets(a, a, lead, T0, p)).toEqual({ ok: false, refusal: 'same-ticket' });
    expect(apply(r.source, { kind: 'reopen' }, lead, T0 + 20 * min, p).ok).toBe(false);
  });

  it('merge is idempotent: run again it adds only who is still missing, never someone who reports the target already', () => {
    const a = ticket(12, '平台打不开了', 'L1', T0, 'a');
    const sameTeacher = ticket(13, '平台还是打不开', 'L1', T0 + min, 'a');
    const once = absorbInto(a, sameTeacher, lead, T0 + 5 * min, p);
    expect(reportersOf(once).map((x) => x.userId)).toEqual(['a']);
    // A teacher joined 13 between a crash and the retry: the retry brings them, and nothing twice.
    const b = ticket(14, '平台挂了', 'L1', T0 + min, 'b');
    const first = absorbInto(a, b, lead, T0 + 5 * min, p);
    const bLater = joinReport(b, { actor: actor('c'), chat: school, messageId: 'jc', at: T0 + 6 * min, text: '我们班也是', attachments: [] }, 'L1', p);
    const again = absorbInto(first, bLater, lead, T0 + 7 * min, p);
    expect(reportersOf(again).map((x) => x.userId)).toEqual(['a', 'b', 'c']);
    expect(again.history.filter((h) => h.action === 'merge')).toHaveLength(1);
    expect(absorbInto(again, bLater, lead, T0 + 8 * min, p)).toBe(again);
  });

  it('chained merges keep every reporter in the as-of replay (11 into 13, then 13 into 12)', () => {
    const t11 = ticket(11, '平台打不开', 'L1', T0, 'x');
    const t13 = ticket(13, '平台挂了', 'L1', T0 + min, 'y');
    const t12 = ticket(12, '平台登不上', 'L1', T0 + 2 * min, 'z');
    const m1 = mergeTickets(t11, t13, lead, T0 + 5 * min, p);
    if (!m1.ok) throw new Error(m1.refusal);
    const m2 = mergeTickets(m1.target, t12, lead, T0 + 6 * min, p);
    if (!m2.ok) throw new Error(m2.refusal);
    const later = apply(m2.target, { kind: 'note', text: '查看中' }, lead, T0 + 9 * min, p);
    if (!later.ok) throw new Error(later.refusal.code);
    expect(reportersOf(asOf(later.ticket, T0 + 7 * min, p)!).map((x) => x.userId)).toEqual(['z', 'y', 'x']);
  });

  it('split: the part becomes a ticket of whoever wrote it, clocked from when it was written; the source marks it', () => {
    let a = ticket(12, '实训平台打不开了', 'L1', T0, 'a');
    a = appendFollowUp(a, '是从8点开始的', 'f1', [], T0 + min, p);
    a = appendFollowUp(a, '另外5号机房投影仪不亮', 'f2', [], T0 + 2 * min, p);
    a = joinReport(a, { actor: actor('c'), chat: school, messageId: 'j1', at: T0 + 3 * min, text: '3号机房电脑鼠标都不动了', attachments: [] }, 'L3', p);
    expect(splitParts(a).map((x) => [x.index, x.text])).toEqual([[1, '是从8点开始的'], [2, '另外5号机房投影仪不亮'], [3, '3号机房电脑鼠标都不动了']]);
    expect(pickPart(a, '投影仪')?.index).toBe(2);
    const { source, created } = splitOut(a, pickPart(a, '2')!, 14, 'L3', 0.9, lead, T0 + 30 * min, p);
    expect(created).toMatchObject({ n: 14, level: 'L3', reporter: { userId: 'a' }, createdAt: T0 + 2 * min, messageId: 'f2', status: 'open' });
    expect(created.clocks.response).toMatchObject({ startedAt: T0 + 2 * min, dueAt: T0 + 62 * min });
    expect(source.followUps[1]!.splitTo).toBe(14);
    // The numbers people saw stay: a split part keeps its place, marked, and cannot be split again.
    expect(splitParts(source).map((x) => [x.index, x.splitTo])).toEqual([[1, undefined], [2, 14], [3, undefined]]);
    expect(pickPart(source, '2')).toBeUndefined();
    const second = splitOut(source, pickPart(source, '3')!, 15, 'L3', 0.9, lead, T0 + 31 * min, p);
    expect(second.created.reporter.userId).toBe('c');
    expect(reportersOf(second.source).map((a) => a.userId)).toEqual(['a']);
  });
});

describe('KPIs, digest and compliance count incidents', () => {
  it('a month with one incident of 3 reporters (two joined) and a duplicate merged into it counts one ticket', () => {
    let outage = ticket(1, '实训平台打不开了', 'L1', T0, 'a');
    outage = joinReport(outage, { actor: actor('b'), chat: school, messageId: 'jb', at: T0 + min, text: '平台登不上', attachments: [] }, 'L1', p);
    outage = joinReport(outage, { actor: actor('c'), chat: school, messageId: 'jc', at: T0 + 2 * min, text: '我们班也是', attachments: [] }, 'L1', p);
    // A duplicate opened before anyone noticed, merged after its deadline had passed: not a second breach.
    const dup = ticket(2, '平台挂了', 'L1', T0 + 3 * min, 'd');
    const m = mergeTickets(dup, outage, lead, T0 + 40 * min, p);
    if (!m.ok) throw new Error(m.refusal);
    const acked = apply(m.target, { kind: 'ack' }, lead, T0 + 10 * min, p);
    if (!acked.ok) throw new Error(acked.refusal.code);
    const month = [acked.ticket, m.source];
    const k = kpis(month, T0 + 60 * min);
    expect(k.tickets).toBe(1);
    expect(k.reporters).toBe(4);
    expect(k.response).toMatchObject({ met: 1, breached: 0, missed: [] });
    const c = complianceData(month, '2026-11-01', '2026-11-30', T0 + 60 * min, p);
    expect([c.tickets, c.reporters]).toEqual([1, 4]);
    // As it stood before the merge, the duplicate was its own (breached) ticket.
    const before = month.map((t) => asOf(t, T0 + 35 * min, p)!);
    expect(before[1]!.status).toBe('open');
    expect(before[0]!.coReporters!.map((x) => x.actor.userId)).toEqual(['b', 'c']);
    expect(kpis(before, T0 + 35 * min).tickets).toBe(2);
  });
});

describe('the short service report', () => {
  it('names who resolved it when nobody had taken the ticket (a lead may resolve without 接单)', async () => {
    const { shortReport } = await import('../../src/views/reporter-notice.ts');
    const r = apply(ticket(40, '平台打不开了', 'L1', T0), { kind: 'resolve', text: '重启了应用服务', parts: [] }, lead, T0 + 5 * min, p);
    if (!r.ok) throw new Error(r.refusal.code);
    expect(shortReport(p, r.ticket, T0 + 5 * min, undefined).text).toContain('工程师：李爽');
  });
});
