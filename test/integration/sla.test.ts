import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { startTestBot, teacher, type TestBot } from '../support/bot.ts';
import { startTestRedis } from '../support/redis.ts';
import { TestClock } from '../support/clock.ts';
import { sleep, waitFor } from '../support/wait.ts';

// The contract's own windows on a clock the tests move: remind at 20 min, escalation at 25 min,
// breach at 30 min, repeats every 30 min — no test waits for a deadline.
const policy = loadPolicy(undefined);
const L1_WINDOW = 30 * 60_000;
const lead = { id: 'lishuang', name: '李爽' };
const clock = new TestClock();


describe('SLA timers with real Redis and BullMQ', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let bot: TestBot;

  beforeAll(async () => {
    redis = await startTestRedis();
    bot = await startTestBot(redis.url, { policy, now: clock.now });
  });
  afterAll(async () => {
    await bot.stop();
    await redis.cleanup();
  });

  it('an unacknowledged L1 reminds the engineers on duty, escalates to the lead, then breaches to lead and manager', async () => {
    await bot.post({ chat: 'school', user: teacher, text: '@售后助手 实训平台打不开了，全班都登不上去', mention: true });
    const t = (await bot.app.services.store.byReporter('sim', teacher.id))[0]!;
    expect(t.level).toBe('L1');
    const due = t.clocks.response!.dueAt;
    const created = t.createdAt;

    await clock.advance(bot.app, L1_WINDOW + 60_000);
    const breach = await waitFor(async () => (await bot.messages('p2p:wanghaiqin')).find((m) => m.text.includes(`#${t.n}`)));
    expect(breach.text).toContain('已超时');
    expect(breach.text).toContain('响应时限');
    expect(breach.ts).toBeGreaterThanOrEqual(due); // the manager hears nothing before the deadline
    expect(await bot.messages('p2p:wanghaiqin')).toHaveLength(1);

    const leadMsgs = await bot.messages('p2p:lishuang');
    const kinds = leadMsgs.map((m) => (m.text.startsWith('⏰') ? 'remind' : m.text.startsWith('⚠️') ? 'approach' : m.text.startsWith('🚨') ? 'breach' : 'other'));
    expect(kinds).toEqual(['remind', 'approach', 'breach']);
    expect(leadMsgs[0]!.ts).toBeGreaterThanOrEqual(created + (L1_WINDOW * 2) / 3);
    expect(leadMsgs[1]!.ts).toBeGreaterThanOrEqual(created + (L1_WINDOW * 5) / 6);
    expect(leadMsgs[1]!.text).toMatch(/一级故障.*响应时限.*还剩/s);
    expect(leadMsgs[1]!.text).toContain('报告人：王老师');
    // the 2/3 reminder went to every engineer on duty (no rota: all engineers)
    const deputy = await bot.messages('p2p:zhangtianhui');
    expect(deputy.map((m) => m.text.slice(0, 2))).toEqual(['⏰ ']);
    // the team group got the notice, the escalation and the breach
    const team = (await bot.messages('team')).map((m) => m.text);
    expect(team.filter((x) => x.startsWith('⚠️'))).toHaveLength(1);
    expect(team.filter((x) => x.startsWith('🚨'))).toHaveLength(1);
    expect((await bot.app.services.store.get(t.n))!.clocks.response!.breachedAt).toBe(due);
    // after the breach the lead is reminded again until met; acknowledging stops it
    await clock.advance(bot.app, policy.reminders.repeatEvery);
    await waitFor(async () => (await bot.messages('p2p:lishuang')).length >= 4, 10_000);
    await bot.post({ chat: 'team', user: lead, text: `接单 #${t.n}` });
    const after = await bot.app.services.store.get(t.n);
    expect(after!.clocks.response).toMatchObject({ outcome: 'breached' });
    const count = (await bot.messages('p2p:lishuang')).length;
    await clock.advance(bot.app, L1_WINDOW * 1.5);
    expect((await bot.messages('p2p:lishuang')).length).toBe(count);
  });

  it('a ticket acknowledged before its 2/3 point produces no reminder at all', async () => {
    const u = { id: 't-ack', name: '快老师' };
    await bot.post({ chat: 'school', user: u, text: '@售后助手 服务器硬盘报警了', mention: true });
    const t = (await bot.app.services.store.byReporter('sim', u.id))[0]!;
    const r = await bot.post({ chat: 'team', user: lead, text: `接单 #${t.n}` });
    expect(r.status).toBe(201);
    expect((await bot.botTexts('team')).at(-1)).toContain(`李爽已接单：工单 #${t.n}`);
    const jobs = (await bot.app.timers.queue.getDelayed()).filter((j) => j.id?.startsWith(`sla-${t.n}-`));
    expect(jobs).toEqual([]);
    await clock.advance(bot.app, L1_WINDOW + 60_000);
    for (const chat of ['p2p:lishuang', 'p2p:zhangtianhui', 'p2p:wanghaiqin', 'team'])
      expect((await bot.botTexts(chat)).filter((x) => x.includes(`#${t.n}`) && /^(⏰|⚠️|🚨)/.test(x))).toEqual([]);
  });

  it('a level change reschedules the timers', async () => {
    const u = { id: 't-lvl', name: '级老师' };
    await bot.post({ chat: 'school', user: u, text: '@售后助手 一台电脑的耳机没声音', mention: true });
    const t = (await bot.app.services.store.byReporter('sim', u.id))[0]!;
    expect(t.level).toBe('L4');
    const before = (await bot.app.timers.queue.getDelayed()).filter((j) => j.id?.startsWith(`sla-${t.n}-`)).map((j) => j.id);
    expect(before).toEqual([`sla-${t.n}-response-v1`]); // one job per running clock
    await bot.post({ chat: 'team', user: lead, text: `改级 #${t.n} L1` });
    const changed = (await bot.app.services.store.get(t.n))!;
    expect(changed.level).toBe('L1');
    expect(changed.clocks.response!.dueAt - changed.createdAt).toBe(L1_WINDOW);
    const ids = (await bot.app.timers.queue.getDelayed()).filter((j) => j.id?.startsWith(`sla-${t.n}-`)).map((j) => j.id);
    expect(ids).toEqual([`sla-${t.n}-response-v2`]);
    const job = await bot.app.timers.queue.getJob(`sla-${t.n}-response-v2`);
    expect(job!.data).toMatchObject({ kind: 'clock', version: 2, step: 'remind' });
    expect((job!.data as { at: number }).at).toBeLessThan(changed.clocks.response!.dueAt);
    await bot.post({ chat: 'team', user: lead, text: `关闭 #${t.n} 测试` });
  });

  it('a stale job (old schedule version) does nothing', async () => {
    const u = { id: 't-stale', name: '旧老师' };
    await bot.post({ chat: 'school', user: u, text: '@售后助手 302机房投影仪坏了，没法上课', mention: true });
    const t = (await bot.app.services.store.byReporter('sim', u.id))[0]!;
    await bot.app.timers.queue.add('step', { kind: 'step', n: t.n, clock: 'response', step: 'remind', version: 0, at: clock.now() }, { jobId: `sla-${t.n}-response-remind-v0`, removeOnComplete: true });
    await waitFor(async () => !(await bot.app.timers.queue.getJob(`sla-${t.n}-response-remind-v0`)));
    await sleep(300);
    for (const chat of ['p2p:lishuang', 'p2p:zhangtianhui']) expect((await bot.botTexts(chat)).filter((x) => x.includes(`#${t.n}`))).toEqual([]);
    expect((await bot.app.services.store.get(t.n))!.clocks.response!.fired).toEqual([]);
    await bot.post({ chat: 'team', user: lead, text: `关闭 #${t.n}` });
  });

  it('a per-step job left by an upgrade and the clock job due together: the reminder is sent once, the clock job walks on', async () => {
    const u = { id: 't-upg', name: '升老师' };
    await bot.post({ chat: 'school', user: u, text: '@售后助手 实训平台打不开了，学生都登不上去', mention: true });
    const t = (await bot.app.services.store.byReporter('sim', u.id))[0]!;
    const remindAt = t.createdAt + (L1_WINDOW * 2) / 3;
    await bot.app.timers.queue.add('step', { kind: 'step', n: t.n, clock: 'response', step: 'remind', version: 1, at: remindAt }, { jobId: `sla-${t.n}-response-remind-v1`, delay: 3_600_000, removeOnComplete: true });
    const { runDue } = await import('../support/clock.ts');
    clock.at = remindAt + 1000;
    await runDue(bot.app, clock.now(), { together: true });
    await sleep(300);
    const reminders = (await bot.botTexts('p2p:lishuang')).filter((x) => x.includes(`#${t.n}`) && x.startsWith('⏰'));
    expect(reminders).toHaveLength(1);
    expect((await bot.app.services.store.get(t.n))!.clocks.response!.fired).toEqual(['remind']);
    const job = await bot.app.timers.queue.getJob(`sla-${t.n}-response-v1`);
    expect(await job!.getState()).toBe('delayed');
    expect(job!.data).toMatchObject({ kind: 'clock', step: 'approach' });
    await bot.post({ chat: 'team', user: lead, text: `关闭 #${t.n} 测试` });
  });

  it('a per-step job left by an upgrade whose step is not due by the current schedule does nothing', async () => {
    const u = { id: 't-early', name: '早老师' };
    await bot.post({ chat: 'school', user: u, text: '@售后助手 实训平台打不开了，全院都登不上', mention: true });
    const t = (await bot.app.services.store.byReporter('sim', u.id))[0]!;
    // Its breach is 30 minutes away; the old job says "now" (a clock restarted since with the same version).
    await bot.app.timers.queue.add('step', { kind: 'step', n: t.n, clock: 'response', step: 'breach', version: 1, at: clock.now() }, { jobId: `sla-${t.n}-response-breach-v1`, removeOnComplete: true });
    await waitFor(async () => !(await bot.app.timers.queue.getJob(`sla-${t.n}-response-breach-v1`)));
    await sleep(300);
    expect((await bot.app.services.store.get(t.n))!.clocks.response!.fired).toEqual([]);
    for (const chat of ['p2p:lishuang', 'p2p:wanghaiqin', 'team']) expect((await bot.botTexts(chat)).filter((x) => x.includes(`#${t.n}`) && x.startsWith('🚨'))).toEqual([]);
    await bot.post({ chat: 'team', user: lead, text: `关闭 #${t.n} 测试` });
  });

  it('refuses staff commands from teachers, and teachers act only on their own tickets', async () => {
    const u = { id: 't-own', name: '甲老师' };
    await bot.post({ chat: 'school', user: u, text: '@售后助手 打印机卡纸了', mention: true });
    const t = (await bot.app.services.store.byReporter('sim', u.id))[0]!;
    await bot.post({ chat: 'school', user: u, text: `接单 #${t.n}` });
    expect((await bot.botTexts('school')).at(-1)).toContain('是售后服务团队的命令');
    // a teacher who renames himself 李爽 is still a teacher: authorisation is by id
    await bot.post({ chat: 'school', user: { id: 't-fake', name: '李爽' }, text: `上门 #${t.n}` });
    expect((await bot.botTexts('school')).at(-1)).toContain('是售后服务团队的命令');
    await bot.post({ chat: 'school', user: { id: 't-other', name: '乙老师' }, text: `撤销 #${t.n}` });
    expect((await bot.botTexts('school')).at(-1)).toContain('不是您报告的');
    await bot.post({ chat: 'school', user: { id: 't-other', name: '乙老师' }, text: `查询 #${t.n}` });
    expect((await bot.botTexts('school')).at(-1)).toContain('只能查询您自己报告的工单');
    expect((await bot.app.services.store.get(t.n))!.status).toBe('open');
    await bot.post({ chat: 'school', user: u, text: `撤销 #${t.n}` });
    expect((await bot.app.services.store.get(t.n))!.status).toBe('cancelled');
  });

  it('runs 接单 → 上门 → 到场 → 已解决 → 确认 → 评价 end to end from chat', async () => {
    const u = { id: 't-e2e', name: '丙老师' };
    await bot.post({ chat: 'school', user: u, text: '@售后助手 服务器机柜温度报警了', mention: true });
    const n = (await bot.app.services.store.byReporter('sim', u.id))[0]!.n;
    for (const cmd of [`接单 #${n}`, `上门 #${n}`, `到场 #${n}`, `已解决 #${n} 更换了故障风扇 配件：机柜风扇1个`]) {
      expect((await bot.post({ chat: 'team', user: lead, text: cmd })).status).toBe(201);
    }
    const school = await bot.botTexts('school');
    // The teacher hears one short line per step, in order, and nothing internal.
    const mine = school.filter((x) => x.includes(`#${n}`));
    expect(mine[0]).toMatch(new RegExp(`^已收到，已为您创建工单 #${n}`));
    const steps = mine.slice(1);
    expect(steps.slice(0, 3)).toEqual([`工单 #${n}：李爽已接单，正在处理。`, expect.stringMatching(new RegExp(`^工单 #${n}：已安排李爽上门，预计 .+前到场。$`)), `工单 #${n}：李爽已到场处理。`]);
    const report = steps[3]!;
    expect(report.startsWith(`✅ 工单 #${n} 已处理完成`)).toBe(true);
    expect(report.split('\n').length).toBeLessThanOrEqual(8);
    expect(report).toContain('更换了故障风扇');
    expect(report).toContain('机柜风扇1个');
    expect(report).toContain(`确认 #${n}`);
    expect(report).not.toContain('undefined');
    for (const line of mine) expect(line).not.toMatch(/置信度|confidence|lishuang|job/i);
    await bot.post({ chat: 'school', user: u, text: `确认 #${n}` });
    expect((await bot.botTexts('school')).at(-1)).toContain('已签字确认');
    await bot.post({ chat: 'school', user: u, text: `评价 #${n} 5 非常及时` });
    expect((await bot.botTexts('school')).at(-1)).toContain('感谢您的评价');
    const t = (await bot.app.services.store.get(n))!;
    expect(t.status).toBe('confirmed');
    expect(t.signoff).toMatchObject({ by: 't-e2e', name: '丙老师' });
    expect(t.rating).toMatchObject({ score: 5, comment: '非常及时' });
    expect(t.history.map((h) => h.action)).toEqual(['created', 'ack', 'dispatch', 'arrive', 'resolve', 'confirm', 'rate']);
    expect(t.history.every((h) => typeof h.at === 'number' && h.at >= t.createdAt)).toBe(true);
    expect(Object.values(t.clocks).map((c) => [c!.name, c!.outcome])).toEqual([
      ['response', 'met'], ['arrival', 'met'], ['resolution', 'met'], ['backup', 'not-needed'],
    ]);
    // the status command shows every step with its time
    await bot.post({ chat: 'school', user: u, text: `查询 #${n}` });
    const status = (await bot.botTexts('school')).at(-1)!;
    for (const word of ['接单', '上门', '到场', '已解决', '签字确认', '评价']) expect(status).toContain(word);
  });

  it('answers help with the commands this person may use', async () => {
    await bot.post({ chat: 'p2p:lishuang', user: lead, text: '帮助' });
    expect((await bot.botTexts('p2p:lishuang')).at(-1)).toContain('派单 #N');
    await bot.post({ chat: 'p2p:t-help', user: { id: 't-help', name: '丁老师' }, text: '帮助' });
    const h = (await bot.botTexts('p2p:t-help')).at(-1)!;
    expect(h).toContain('确认 #N');
    expect(h).not.toContain('派单');
  });
});

describe('sign-off reminder', () => {
  it('reminds the reporter once to sign the service report, and not after 确认', async () => {
    const redis = await startTestRedis();
    const p = loadPolicy(undefined);
    const clock = new TestClock();
    const bot = await startTestBot(redis.url, { policy: p, now: clock.now });
    try {
      const a = { id: 't-sign-a', name: '签老师' };
      const b = { id: 't-sign-b', name: '确老师' };
      for (const u of [a, b]) await bot.post({ chat: `p2p:${u.id}`, user: u, text: '投影仪坏了，没法上课' });
      const na = (await bot.app.services.store.byReporter('sim', a.id))[0]!.n;
      const nb = (await bot.app.services.store.byReporter('sim', b.id))[0]!.n;
      await bot.post({ chat: 'team', user: lead, text: `已解决 #${na} 更换了灯泡` });
      await bot.post({ chat: 'team', user: lead, text: `已解决 #${nb} 重新接线` });
      await bot.post({ chat: `p2p:${b.id}`, user: b, text: `确认 #${nb}` });
      await clock.advance(bot.app, p.reminders.signoff + 60_000, 3600_000);
      await waitFor(async () => (await bot.botTexts(`p2p:${a.id}`)).some((x) => x.includes('处理完成一天了')), 10_000);
      await clock.advance(bot.app, p.reminders.signoff, 3600_000); // a second reminder would be due by now
      expect((await bot.botTexts(`p2p:${a.id}`)).filter((x) => x.includes(`确认 #${na}`) && x.includes('处理完成一天了'))).toHaveLength(1);
      expect((await bot.botTexts(`p2p:${b.id}`)).filter((x) => x.includes('处理完成一天了'))).toEqual([]);
      expect((await bot.app.services.store.get(na))!.signoffRemindedAt).toEqual(expect.any(Number));
    } finally {
      await bot.stop();
      await redis.cleanup();
    }
  });
});

describe('巡检完成', () => {
  it('records an inspection from staff and refuses it from a teacher', async () => {
    const redis = await startTestRedis();
    const bot = await startTestBot(redis.url);
    try {
      await bot.post({ chat: 'p2p:t-x', user: { id: 't-x', name: '某老师' }, text: '巡检完成 一切正常' });
      expect((await bot.botTexts('p2p:t-x')).at(-1)).toContain('是售后服务团队的命令');
      await bot.post({ chat: 'p2p:zhangtianhui', user: { id: 'zhangtianhui', name: '张天慧' }, text: '巡检完成：服务器和UPS检查正常' });
      expect((await bot.botTexts('p2p:zhangtianhui')).at(-1)).toContain('已记录巡检');
      expect(await bot.app.services.inspections.all()).toEqual([expect.objectContaining({ by: '张天慧', notes: '服务器和UPS检查正常' })]);
    } finally {
      await bot.stop();
      await redis.cleanup();
    }
  });
});

describe('sweeper', () => {
  it('re-creates a timer that should exist and does not', async () => {
    const redis = await startTestRedis();
    const bot = await startTestBot(redis.url);
    try {
      await bot.post({ chat: 'school', user: teacher, text: '@售后助手 服务器硬盘报警了', mention: true });
      const id = 'sla-1-response-v1';
      expect(await bot.app.timers.queue.getJob(id)).toBeTruthy();
      await bot.app.timers.queue.remove(id); // a lost write
      expect(await bot.app.timers.queue.getJob(id)).toBeFalsy();
      expect(await bot.app.timers.sweep()).toBe(1);
      const job = await bot.app.timers.queue.getJob(id);
      expect(job?.data).toMatchObject({ kind: 'clock', n: 1, clock: 'response', step: 'remind', version: 1 });
      expect(await bot.app.timers.sweep()).toBe(0);
    } finally {
      await bot.stop();
      await redis.cleanup();
    }
  });
});
