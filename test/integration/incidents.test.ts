import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { TestClock } from '../support/clock.ts';
import { startTestRedis } from '../support/redis.ts';

// One fault reported by several teachers is one ticket; two faults from one teacher are two.
// Played through the simulator's HTTP API, as the school's group would.
const policy = loadPolicy(undefined);
const lead = { id: 'lishuang', name: '李爽' };
const min = 60_000;
const clock = new TestClock(Date.parse('2026-12-01T01:00:00Z')); // 09:00 in Shanghai

describe('incidents: one outage, one ticket', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let bot: TestBot;
  const store = () => bot.app.services.store;
  const jobsOf = async (n: number) => (await bot.app.timers.queue.getDelayed()).filter((j) => j.id?.startsWith(`sla-${n}-`)).map((j) => j.id!).sort();
  const say = async (user: { id: string; name: string }, text: string, chat = 'school') => {
    const r = await bot.post({ chat, user, text: `@售后助手 ${text}`, mention: true });
    expect(r.status).toBe(201);
    return String((r.json as { id?: string }).id ?? '');
  };
  const team = (user: { id: string; name: string }, text: string) => bot.post({ chat: 'team', user, text });
  /** The bot's replies under one message, in order. */
  const repliesTo = async (chat: string, messageId: string) => (await bot.messages(chat)).filter((m) => m.from.id === 'bot' && (m as { replyTo?: string }).replyTo === messageId).map((m) => m.text);
  const lastSchoolMessageId = async () => (await bot.messages('school')).filter((m) => m.from.id !== 'bot').at(-1)!.id;

  beforeAll(async () => {
    redis = await startTestRedis();
    bot = await startTestBot(redis.url, { policy, now: clock.now });
  });
  afterAll(async () => {
    await bot.stop();
    await redis.cleanup();
  });

  it('three teachers report the platform outage in their own words within 5 minutes: one ticket, three reporters, one set of timers, and all three hear it is fixed', async () => {
    const [zhao, qian, sun] = [{ id: 't-zhao', name: '赵老师' }, { id: 't-qian', name: '钱老师' }, { id: 't-sun', name: '孙老师' }];
    const teamBefore = (await bot.botTexts('team')).length;
    await say(zhao, '实训平台打不开了，学生都进不去，急！');
    const first = await lastSchoolMessageId();
    const t = (await store().byReporter('sim', zhao.id))[0]!;
    const timers = await jobsOf(t.n);
    expect(timers.length).toBeGreaterThan(0);

    await clock.advance(bot.app, 2 * min);
    await say(qian, '平台登不上了，一直在转圈，302这边全班都卡在登录页');
    const second = await lastSchoolMessageId();
    expect(await jobsOf(t.n)).toEqual(timers); // joining scheduled nothing
    await clock.advance(bot.app, 2 * min);
    await team(lead, `接单 #${t.n}`);
    await say(sun, '我们班也是，打不开');
    const third = await lastSchoolMessageId();

    // One ticket with three reporters; no second ticket for anyone.
    const all = await store().createdBetween(0, Number.MAX_SAFE_INTEGER);
    expect(all.map((x) => x.n)).toEqual([t.n]);
    const stored = (await store().get(t.n))!;
    expect([stored.reporter.name, ...stored.coReporters!.map((c) => c.actor.name)]).toEqual(['赵老师', '钱老师', '孙老师']);
    expect(stored.level).toBe('L1');
    // One set of timers: joining added none (the response clock stopped at 接单, so those are gone).
    const after = await jobsOf(t.n);
    expect(after.every((id) => timers.includes(id))).toBe(true);

    // Each joined teacher is told plainly, under their own message; the third hears it was taken.
    // …and hears the progress there, as promised (接单 came after they joined).
    expect(await repliesTo('school', second)).toEqual([`已有老师报告了同一问题（工单 #${t.n}，一级故障，已通知值班工程师），已把您加入该工单，处理进展会同步通知您。`, `工单 #${t.n}：李爽已接单，正在处理。`]);
    expect(await repliesTo('school', third)).toEqual([`已有老师报告了同一问题（工单 #${t.n}，一级故障，李爽已接单），已把您加入该工单，处理进展会同步通知您。`]);
    // The team: one notice card, then two short lines.
    const teamLines = (await bot.botTexts('team')).slice(teamBefore);
    expect(teamLines.filter((x) => x.startsWith('【新工单'))).toHaveLength(1);
    expect(teamLines.filter((x) => x.startsWith(`#${t.n} 又有 1 位老师报告`)).map((x) => /（共 (\d) 位）/.exec(x)![1])).toEqual(['2', '3']);

    // Resolving tells all three, each under their own report; each may sign and rate.
    await team(lead, `已解决 #${t.n} 重启了应用服务器，平台恢复`);
    for (const id of [first, second, third]) expect((await repliesTo('school', id)).some((x) => x.includes(`工单 #${t.n} 已处理完成`))).toBe(true);
    await bot.post({ chat: 'school', user: sun, text: `评价 #${t.n} 5 很快` });
    expect((await store().get(t.n))!.rating?.score).toBe(5);
    await bot.post({ chat: 'school', user: qian, text: `确认 #${t.n}` });
    expect((await store().get(t.n))!.status).toBe('confirmed');
  });

  it('a different fault after 还有 / 另外 / 顺便 is a ticket of its own; plain detail is still added to the first', async () => {
    await clock.advance(bot.app, 60 * min);
    const li = { id: 't-li', name: '李老师' };
    await say(li, '5号实训室的电脑都登不上平台');
    const t = (await store().byReporter('sim', li.id))[0]!;
    await say(li, '是从早上8点开始的');
    await say(li, '还有，3号机房的投影仪也不亮了');
    const mine = await store().byReporter('sim', li.id);
    expect(mine).toHaveLength(2);
    const second = mine.find((x) => x.n !== t.n)!;
    expect(second.level).not.toBe('L1');
    expect((await bot.botTexts('school')).at(-1)).toContain(`这是一个新问题，已单独建单 #${second.n}（`);
    const first = (await store().get(t.n))!;
    expect(first.followUps.map((f) => f.text)).toEqual(['是从早上8点开始的']);
    await say(li, '另外打印机也卡纸了');
    await say(li, '顺便说一下，教师机的耳机没声音');
    expect(await store().byReporter('sim', li.id)).toHaveLength(4);
  });

  it('合并 #13 #12 folds a ticket into another (its timers go) and 拆分 makes a follow-up its own ticket (with its own); teachers may do neither', async () => {
    await clock.advance(bot.app, 60 * min);
    const zhou = { id: 't-zhou', name: '周老师' };
    const wu = { id: 't-wu', name: '吴老师' };
    await say(zhou, '7号机房投影仪不亮了');
    const a = (await store().byReporter('sim', zhou.id))[0]!;
    await say(wu, '投影仪没有画面，没法上课', `p2p:${wu.id}`);
    const b = (await store().byReporter('sim', wu.id))[0]!;
    expect(b.n).not.toBe(a.n);
    expect(await jobsOf(b.n)).not.toEqual([]);

    // A teacher cannot merge.
    await bot.post({ chat: 'school', user: zhou, text: `合并 #${b.n} #${a.n}` });
    expect((await bot.botTexts('school')).at(-1)).toContain('是售后服务团队的命令');
    expect((await store().get(b.n))!.status).toBe('open');

    await team(lead, `合并 #${b.n} #${a.n}`);
    const merged = (await store().get(b.n))!;
    expect(merged).toMatchObject({ status: 'merged', mergedInto: a.n });
    expect(await jobsOf(b.n)).toEqual([]);
    const target = (await store().get(a.n))!;
    expect(target.coReporters!.map((c) => [c.actor.name, c.via, c.from])).toEqual([['吴老师', 'merge', b.n]]);
    expect((await bot.botTexts(`p2p:${wu.id}`)).at(-1)).toBe(`您报告的问题（#${b.n}）与 #${a.n} 是同一故障，已合并到 #${a.n}，处理进展会同步通知您。`);
    await bot.post({ chat: `p2p:${wu.id}`, user: wu, text: `查询 #${b.n}` });
    expect((await bot.botTexts(`p2p:${wu.id}`)).at(-1)!.split('\n')[0]).toBe(`工单 #${b.n} 已合并到 #${a.n}，处理进展请查询 #${a.n}。`);

    // A follow-up that is another fault, split out: its own ticket, clock from when it was written.
    await say(zhou, '补充一下，是靠窗那台');
    const writtenAt = clock.now();
    await clock.advance(bot.app, 5 * min);
    await bot.post({ chat: 'school', user: zhou, text: `拆分 #${a.n} 1` });
    expect((await bot.botTexts('school')).at(-1)).toContain('是售后服务团队的命令');
    await team(lead, `拆分 #${a.n}`);
    // Numbered in the order written (the clock stood still here: follow-ups first, then reports).
    expect((await bot.botTexts('team')).at(-1)).toContain('1. 周老师：补充一下，是靠窗那台\n2. 吴老师：投影仪没有画面，没法上课');
    await team(lead, `拆分 #${a.n} 1`);
    const split = (await store().byReporter('sim', zhou.id)).find((x) => x.n !== a.n)!;
    expect(split).toMatchObject({ text: '补充一下，是靠窗那台', createdAt: writtenAt, reporter: { userId: zhou.id } });
    expect(split.clocks.response!.startedAt).toBe(writtenAt);
    expect(await jobsOf(split.n)).not.toEqual([]);
    expect((await store().get(a.n))!.followUps[0]!.splitTo).toBe(split.n);
    expect((await bot.botTexts('team')).some((x) => x.startsWith(`已从 #${a.n} 拆分出新工单 #${split.n}`))).toBe(true);
  });

  it('撤销 by a joined teacher takes back only their report; the first reporter cannot cancel what others still report', async () => {
    await clock.advance(bot.app, 60 * min);
    const he = { id: 't-he', name: '何老师' };
    const lv = { id: 't-lv', name: '吕老师' };
    await say(he, '报表模块导出一直报错，导不出来');
    const t = (await store().byReporter('sim', he.id))[0]!;
    await say(lv, '报表模块我们这也导不出来');
    expect((await store().get(t.n))!.coReporters!.map((c) => c.actor.userId)).toEqual([lv.id]);
    await bot.post({ chat: 'school', user: he, text: `撤销 #${t.n}` });
    expect((await bot.botTexts('school')).at(-1)).toBe(`工单 #${t.n} 还有 1 位老师报告了同一问题，不能撤销；如果您这边已恢复，请告诉工程师。`);
    await bot.post({ chat: 'school', user: lv, text: `撤销 #${t.n}` });
    expect((await bot.botTexts('school')).at(-1)).toBe(`已撤回您对工单 #${t.n} 的报告；其他老师报告的问题仍在处理。`);
    const after = (await store().get(t.n))!;
    expect([after.status, after.coReporters]).toEqual(['open', []]);
    expect((await store().byReporter('sim', lv.id)).map((x) => x.n)).not.toContain(t.n); // no longer "theirs"
    await bot.post({ chat: 'school', user: he, text: `撤销 #${t.n}` });
    expect((await store().get(t.n))!.status).toBe('cancelled');
  });

  it('a report that may be the same fault opens its own ticket, and the team notice offers the merge', async () => {
    await clock.advance(bot.app, 60 * min);
    const feng = { id: 't-feng', name: '冯老师' };
    const chen = { id: 't-chen', name: '陈老师' };
    await say(feng, '投影仪坏了，没法上课');
    const a = (await store().byReporter('sim', feng.id))[0]!;
    await say(chen, '投影仪坏了，放不出来');
    const b = (await store().byReporter('sim', chen.id))[0]!;
    expect(b.n).not.toBe(a.n);
    const notice = (await bot.messages('team')).filter((m) => m.from.id === 'bot' && m.text.startsWith(`【新工单 #${b.n}】`)).at(-1)!;
    expect(notice.text).toContain(`可能与 #${a.n} 相同，如是同一故障请发送「合并 #${b.n} #${a.n}」`);
    expect(JSON.stringify(notice.card)).toContain(`合并 #${b.n} #${a.n}`);
  });

  it('forty teachers report the same outage at the same moment: one ticket with every one of them, each answered once', async () => {
    const first = { id: 't-rush-0', name: '早老师' };
    await say(first, '财务实训软件打不开了，学生都登不上');
    const t = (await store().byReporter('sim', first.id))[0]!;
    const others = Array.from({ length: 40 }, (_, i) => ({ id: `t-rush-${i + 1}`, name: `急老师${i + 1}` }));
    const ids = await Promise.all(others.map((u) => say(u, '财务实训软件打不开了，学生都登不上')));
    const after = (await store().get(t.n))!;
    expect(after.coReporters?.map((c) => c.actor.userId).sort()).toEqual(others.map((u) => u.id).sort());
    for (const u of others) expect((await store().byReporter('sim', u.id)).map((x) => x.n)).toEqual([t.n]);
    for (const id of ids) expect(await repliesTo('school', id)).toHaveLength(1);
    await team(lead, `关闭 #${t.n} 测试`);
  });
});
