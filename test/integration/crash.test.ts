import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../support/bot.ts';
import { kill, startChildBot } from '../support/child-bot.ts';
import { runDue, TestClock } from '../support/clock.ts';
import { startTestRedis } from '../support/redis.ts';

interface SimMessage { from: { id: string }; text: string }

async function texts(url: string, chat: string): Promise<string[]> {
  const r = (await (await fetch(`${url}/sim/messages?chat=${encodeURIComponent(chat)}`)).json()) as { messages: SimMessage[] };
  return r.messages.filter((m) => m.from.id === 'bot').map((m) => m.text);
}

const REPORTS = [
  { user: { id: 't-c1', name: '陈老师' }, text: '@售后助手 服务器挂了，今天的课全停了' }, // L1: 30 min
  { user: { id: 't-c2', name: '孙老师' }, text: '@售后助手 机柜温度报警，一直在响' }, // L2: 30 min
  { user: { id: 't-c3', name: '赵老师' }, text: '@售后助手 302机房一排电脑都登录不了' }, // L3: 60 min
];

describe('crash safety of the timers', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis.cleanup();
  });

  it('a bot killed with SIGKILL while timers are pending tells each person once where each clock stands after restart', async () => {
    // The real bot, as a process, with the contract's windows.
    const a = await startChildBot({ REDIS_URL: redis.url });
    for (const r of REPORTS) {
      const post = await fetch(`${a.url}/sim/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat: 'school', mention: true, ...r }) });
      expect(post.status).toBe(201);
    }
    expect((await texts(a.url, 'school')).filter((x) => x.includes('已为您创建工单'))).toHaveLength(3);
    await kill(a.proc); // every timer of every ticket is still pending
    // The bot comes back 100 minutes later: L1/L2 are past remind, approach, breach and two repeats;
    // L3 past its breach and one repeat. All of them run at once, as after a real outage.
    const clock = new TestClock(Date.now() + 100 * 60_000);
    const b = await startTestBot(redis.url, { now: clock.now });
    try {
      expect(await runDue(b.app, clock.now(), { together: true })).toBe(3); // each ticket's response clock: one job walks all its missed steps
      expect(await runDue(b.app, clock.now(), { together: true })).toBe(0); // nothing left to fire twice
      const tickets = await b.app.services.store.byReporter('sim', 't-c1');
      const l1 = tickets[0]!;
      for (const chat of ['p2p:lishuang', 'p2p:zhangtianhui', 'p2p:wanghaiqin', 'team']) {
        const got = await b.botTexts(chat);
        for (const n of [l1.n, l1.n + 1, l1.n + 2]) {
          const about = got.filter((x) => x.includes(`工单 #${n}（`));
          // The lead and the team hear of every ticket (one notice each); others at most one.
          if (chat === 'p2p:lishuang' || chat === 'team') expect(about.length, `${chat} about #${n}: ${about.join(' | ')}`).toBe(1);
          else expect(about.length, `${chat} about #${n}: ${about.join(' | ')}`).toBeLessThanOrEqual(1);
          for (const x of about) expect(x).not.toMatch(/0秒|^⏰|^⚠️/); // the current state: past the deadline
        }
      }
      // Each teacher is told once that the response deadline passed, under their report.
      const school = await texts(b.url, 'school');
      for (const n of [l1.n, l1.n + 1, l1.n + 2]) expect(school.filter((x) => x === `工单 #${n}：响应已超时，已通知组长李爽跟进。`)).toHaveLength(1);
      const lead = await b.botTexts('p2p:lishuang');
      const l1Notice = lead.find((x) => x.includes(`工单 #${l1.n}（`))!;
      expect(l1Notice).toMatch(/^🚨 已超时：工单 #\d+（一级故障）响应时限 .* 已过（已超时 1小时10分钟），仍未接单。/);
      expect(l1Notice).toContain('已催办 2/4 次');
      expect(l1Notice).toContain('合并为这一条');
      // the L3 breach stays with the lead (not a manager level); the L1 and L2 ones reach the manager
      const manager = await b.botTexts('p2p:wanghaiqin');
      expect(manager.filter((x) => x.includes(`工单 #${l1.n + 2}（`))).toEqual([]);
      expect(manager.filter((x) => x.startsWith('🚨 已超时'))).toHaveLength(2);
      // the next repeat comes at its own moment, once
      clock.at += 20 * 60_000;
      await runDue(b.app, clock.now(), { together: true });
      expect((await b.botTexts('p2p:lishuang')).filter((x) => x.startsWith(`🚨 第 3/4 次催办：工单 #${l1.n}（`))).toHaveLength(1);
      // no reply was sent twice
      expect((await texts(b.url, 'school')).filter((x) => x.includes('已为您创建工单'))).toHaveLength(3);
    } finally {
      await b.stop();
    }
  });
});
