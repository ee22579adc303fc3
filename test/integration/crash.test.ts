import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, teacher } from '../support/bot.ts';
import { kill, startChildBot } from '../support/child-bot.ts';
import { runDue, TestClock } from '../support/clock.ts';
import { startTestRedis } from '../support/redis.ts';

async function texts(url: string, chat: string): Promise<string[]> {
  const r = (await (await fetch(`${url}/sim/messages?chat=${encodeURIComponent(chat)}`)).json()) as { messages: { from: { id: string }; text: string }[] };
  return r.messages.filter((m) => m.from.id === 'bot').map((m) => m.text);
}

describe('crash safety of the timers', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis.cleanup();
  });

  it('a bot killed with SIGKILL while timers are pending fires each of them once after restart', async () => {
    // The real bot, as a process: the contract's windows (L1: remind 20 min, escalate 25, breach 30).
    const a = await startChildBot({ REDIS_URL: redis.url });
    const post = await fetch(`${a.url}/sim/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat: 'school', user: teacher, text: '@售后助手 服务器挂了，今天的课全停了', mention: true }),
    });
    expect(post.status).toBe(201);
    expect((await texts(a.url, 'school'))[0]).toContain('一级故障');
    await kill(a.proc); // every timer of the ticket is still pending
    // The bot comes back 31 minutes later: reminder, escalation and breach all fell due while nobody ran.
    const clock = new TestClock(Date.now() + 31 * 60_000);
    const b = await startTestBot(redis.url, { now: clock.now });
    try {
      expect(await runDue(b.app, clock.now())).toBe(3);
      expect(await runDue(b.app, clock.now())).toBe(0); // nothing left to fire twice
      const leadTexts = await b.botTexts('p2p:lishuang');
      const count = (prefix: string) => leadTexts.filter((x) => x.startsWith(prefix)).length;
      expect(count('⏰')).toBe(1);
      expect(count('⚠️')).toBe(1);
      expect(leadTexts.filter((x) => x.startsWith('🚨 已超时'))).toHaveLength(1);
      expect(await texts(b.url, 'p2p:wanghaiqin')).toHaveLength(1);
      expect((await texts(b.url, 'team')).filter((x) => x.startsWith('🚨 已超时'))).toHaveLength(1);
      // no reply was sent twice
      expect((await texts(b.url, 'school')).filter((x) => x.includes('已为您创建工单'))).toHaveLength(1);
    } finally {
      await b.stop();
    }
  });
});
