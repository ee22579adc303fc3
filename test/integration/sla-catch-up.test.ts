import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { seedDemo } from '../../src/demo-data.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
import { apply } from '../../src/domain/lifecycle.ts';
import type { App } from '../../src/app.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { runDue, TestClock } from '../support/clock.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep } from '../support/wait.ts';

const policy = loadPolicy(undefined);
// Every report its own ticket: these tests count each ticket's timers (incidents: incidents.test.ts).
policy.incident = { joinWindow: 0 };
const min = 60_000;
const CHATS = ['p2p:lishuang', 'p2p:zhangtianhui', 'p2p:wanghaiqin', 'team'];
const ABOUT = /工单 #(\d+)（[^）]+）的?(响应|到场|解决|备用系统)时限/;

/** Every SLA notice a person or the team got, keyed recipient · ticket · clock. */
async function notices(bot: TestBot): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const chat of CHATS) {
    for (const m of await bot.messages(chat)) {
      const k = ABOUT.exec(m.text);
      if (m.from.id !== 'bot' || !k || !/^(⏰|⚠️|🚨|📋)/u.test(m.text)) continue;
      const key = `${chat} #${k[1]} ${k[2]}`;
      out.set(key, [...(out.get(key) ?? []), m.text]);
    }
  }
  return out;
}

function expectOneEach(got: Map<string, string[]>): void {
  for (const [key, texts] of got) {
    expect(texts, key).toHaveLength(1);
    expect(texts[0], key).not.toMatch(/0秒/);
  }
}

/** Waits until the SLA jobs due now have run and their messages are sent (timers added with no delay run at once). */
async function settle(app: App): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const c = await app.timers.queue.getJobCounts('wait', 'active', 'prioritized');
    if (!c.wait && !c.active && !c.prioritized && (await app.outboxQueue.queued()) === 0) return;
    await sleep(25);
  }
  throw new Error('timers did not settle');
}

describe('catch-up: one current notice per ticket, clock and person', () => {
  // A Redis of its own for each test: ticket numbers and messages start from nothing.
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  beforeEach(async () => {
    redis = await startTestRedis();
  });
  afterEach(async () => {
    await redis.cleanup();
  });

  it('a ticket created 3 hours in the past (and dispatched) gets exactly one message per clock and recipient', async () => {
    const clock = new TestClock();
    const bot = await startTestBot(redis.url, { policy, now: clock.now });
    try {
      const created = clock.now() - 180 * min;
      let t = newTicket({ n: 1, label: 'L1', confidence: 1, reporter: { platform: 'sim', userId: 't-old', name: '老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: '服务器挂了，今天的课全停了', truncated: false, attachments: [], messageId: 'old-1', now: created }, policy);
      const r = apply(t, { kind: 'dispatch' }, { kind: 'staff', id: 'zhangtianhui', name: '张天慧' }, created + 5 * min, policy);
      if (!r.ok) throw new Error(r.refusal.code);
      t = r.ticket;
      await bot.app.services.store.claimNumber('sim', 'old-1');
      await bot.app.services.store.save(t);
      expect(await bot.app.timers.sweep()).toBeGreaterThan(0); // as after seed-demo or a restore
      await settle(bot.app);
      const got = await notices(bot);
      expectOneEach(got);
      // arrival (due 2 h after dispatch, 55 min ago): the assignee, the lead, the manager, the team, once each
      expect([...got.keys()].filter((k) => k.endsWith('到场')).sort()).toEqual(['p2p:lishuang #1 到场', 'p2p:wanghaiqin #1 到场', 'p2p:zhangtianhui #1 到场', 'team #1 到场']);
      expect(got.get('p2p:zhangtianhui #1 到场')![0]).toContain('已催办 1/4 次');
      // resolution (4 h): only its 2/3 reminder has come, to the assignee
      expect([...got.keys()].filter((k) => k.endsWith('解决'))).toEqual(['p2p:zhangtianhui #1 解决']);
      expect(got.get('p2p:zhangtianhui #1 解决')![0]).toMatch(/^⏰ 提醒：.*还剩 1小时5分钟/);
    } finally {
      await bot.stop();
    }
  });

  it('a crash between storing a fired step and queueing its messages: the relay sends them, once, and the retry sends nothing', async () => {
    const clock = new TestClock();
    const bot = await startTestBot(redis.url, { policy, now: clock.now });
    try {
      await bot.post({ chat: 'school', user: { id: 't-cw', name: '窗老师' }, text: '@售后助手 服务器挂了，今天的课全停了', mention: true });
      const t = (await bot.app.services.store.byReporter('sim', 't-cw'))[0]!;
      // The first enqueue of a timer's messages dies (as if the process stopped right after the write).
      const q = bot.app.outboxQueue;
      const enqueue = q.enqueue.bind(q);
      let armed = true;
      q.enqueue = (async (key: string, items: Parameters<typeof enqueue>[1], delay?: number) => {
        if (armed && key.startsWith('sla-')) {
          armed = false;
          throw new Error('crash after the write');
        }
        return enqueue(key, items, delay);
      }) as typeof q.enqueue;
      clock.at = t.createdAt + 20 * min + 1000; // the 2/3 reminder is due
      await runDue(bot.app, clock.now(), { failing: true });
      expect(armed).toBe(false);
      const before = await notices(bot);
      expect([...before.keys()].filter((k) => k.includes(`#${t.n} 响应`))).toEqual([]); // nothing went out: the enqueue died
      expect(await bot.app.relay.run(0)).toBe(1); // the stored messages are found and queued
      await settle(bot.app);
      const got = await notices(bot);
      const mine = [...got.entries()].filter(([k]) => k.includes(`#${t.n} 响应`));
      expect(mine.length).toBeGreaterThan(0);
      for (const [k, v] of mine) expect(v, k).toHaveLength(1);
      expect(await bot.app.relay.run(0)).toBe(0);
    } finally {
      await bot.stop();
    }
  });

  it('a restart after 1 hour of downtime with 20 open tickets sends no more than one message per ticket-clock-recipient', async () => {
    const clock = new TestClock();
    const a = await startTestBot(redis.url, { policy, now: clock.now });
    const texts = ['服务器挂了，今天的课全停了', '机柜温度报警', '302机房一排电脑都登录不了', '一台电脑耳机没声音', '投影仪坏了没法上课'];
    for (let i = 0; i < 20; i++) {
      const r = await a.post({ chat: 'school', user: { id: `t-${i}`, name: `老师${i}` }, text: `@售后助手 ${texts[i % texts.length]}（${i}）`, mention: true });
      expect(r.status).toBe(201);
    }
    await a.post({ chat: 'team', user: { id: 'zhangtianhui', name: '张天慧' }, text: '派单 #3 张天慧' });
    await a.app.stop(); // down for an hour
    clock.at += 60 * min;
    const b = await startTestBot(redis.url, { policy, now: clock.now });
    try {
      expect(await runDue(b.app, clock.now(), { together: true })).toBeGreaterThanOrEqual(20); // every ticket's clock job, at once
      const got = await notices(b);
      expectOneEach(got);
      expect(new Set([...got.keys()].map((k) => k.split(' ')[1])).size).toBe(20); // every ticket was spoken of
      // an L1 ticket an hour old: past its breach and first repeat, said once, as the state now
      const l1 = got.get('p2p:lishuang #1 响应')![0]!;
      expect(l1).toMatch(/^🚨 已超时：工单 #1（一级故障）响应时限 .* 已过（已超时 30分钟），仍未接单。/);
      expect(l1).toContain('已催办 1/4 次');
    } finally {
      await b.stop();
    }
  });

  it('改级 twice sends no step twice; an upgrade that makes the clock overdue sends one catch-up notice', async () => {
    const clock = new TestClock();
    const bot = await startTestBot(redis.url, { policy, now: clock.now });
    try {
      await bot.post({ chat: 'school', user: { id: 't-g', name: '葛老师' }, text: '@售后助手 302机房一排电脑都登录不了', mention: true });
      const t = (await bot.app.services.store.get(1))!;
      expect(t.level).toBe('L3');
      await clock.advance(bot.app, 45 * min); // L3 remind at 40 min
      expect((await notices(bot)).get('p2p:lishuang #1 响应')).toHaveLength(1);
      await bot.post({ chat: 'team', user: { id: 'lishuang', name: '李爽' }, text: '改级 #1 L1' }); // 30 min: overdue now
      await runDue(bot.app, clock.now(), { together: true });
      const upgraded = (await notices(bot)).get('p2p:lishuang #1 响应')!;
      expect(upgraded).toHaveLength(2);
      expect(upgraded[1]).toMatch(/^🚨 已超时：工单 #1（一级故障）/);
      await bot.post({ chat: 'team', user: { id: 'lishuang', name: '李爽' }, text: '改级 #1 L3' }); // back: steps already sent stay sent
      await clock.advance(bot.app, 20 * min, 5 * min);
      expect((await notices(bot)).get('p2p:lishuang #1 响应')).toHaveLength(2);
      const stored = (await bot.app.services.store.get(1))!;
      expect(stored.clocks.response!.breach).toBeDefined(); // the breach stays a fact
      // repeats follow the new deadline (L3: 60 min) and say so once each
      await clock.advance(bot.app, 30 * min, 5 * min);
      const all = (await notices(bot)).get('p2p:lishuang #1 响应')!;
      expect(all.slice(2).map((x) => x.split('：')[0])).toEqual(['🚨 第 1/4 次催办']);
    } finally {
      await bot.stop();
    }
  });

  it('the manager step fires after the 4th repeat exactly once, and the team is told', async () => {
    const clock = new TestClock();
    const bot = await startTestBot(redis.url, { policy, now: clock.now });
    try {
      await bot.post({ chat: 'school', user: { id: 't-m', name: '马老师' }, text: '@售后助手 302机房一排电脑都登录不了', mention: true });
      await clock.advance(bot.app, 5 * 60 * min, 10 * min); // L3: breach 60, repeats 90…180, manager 210
      const manager = (await bot.botTexts('p2p:wanghaiqin')).filter((x) => x.includes('#1'));
      expect(manager).toHaveLength(1); // an L3 breach stays with the lead; the summary reaches the manager
      expect(manager[0]).toMatch(/^📋 超时汇总：工单 #1（三级故障）响应时限 .*，已超时 2小时30分钟，已催办 4 次仍未接单，请经理介入。/);
      const lead = (await bot.botTexts('p2p:lishuang')).filter((x) => x.includes('#1'));
      expect(lead.map((x) => x.split('：')[0])).toEqual(['⏰ 提醒', '⚠️ 即将超时', '🚨 已超时', '🚨 第 1/4 次催办', '🚨 第 2/4 次催办', '🚨 第 3/4 次催办', '🚨 第 4/4 次催办']);
      expect((await bot.botTexts('team')).filter((x) => x.includes('已通知经理王海芹') && x.includes('#1'))).toHaveLength(1);
      await clock.advance(bot.app, 3 * 60 * min, 30 * min);
      expect((await bot.botTexts('p2p:wanghaiqin')).filter((x) => x.includes('#1'))).toHaveLength(1); // then the engine stops
      expect((await bot.app.timers.queue.getDelayed()).filter((j) => j.id?.startsWith('sla-1-'))).toEqual([]);
    } finally {
      await bot.stop();
    }
  });

  it('seed-demo on a running bot: no person hears twice about one ticket-clock, nothing says 0秒', async () => {
    const clock = new TestClock();
    const bot = await startTestBot(redis.url, { policy, now: clock.now });
    try {
      const seeded = await seedDemo(bot.app.services.store, policy, clock.now());
      expect(seeded.filter((t) => t.status === 'open').length).toBeGreaterThan(0);
      await bot.app.timers.sweep(); // what the running bot's sweeper does within a minute
      await settle(bot.app);
      const got = await notices(bot);
      expect(got.size).toBeGreaterThan(0);
      expectOneEach(got);
    } finally {
      await bot.stop();
    }
  });
});
