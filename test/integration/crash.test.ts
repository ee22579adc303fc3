import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teacher } from '../support/bot.ts';
import { kill, startChildBot } from '../support/child-bot.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep } from '../support/wait.ts';

const SCALE = '0.002'; // L1: 3.6 s window; reminder 2.4 s, escalation 3 s, breach 3.6 s

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
    const env = { REDIS_URL: redis.url, AFTERSALES_TIME_SCALE: SCALE };
    const a = await startChildBot(env);
    const post = await fetch(`${a.url}/sim/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat: 'school', user: teacher, text: '@售后助手 服务器挂了，今天的课全停了', mention: true }),
    });
    expect(post.status).toBe(201);
    expect((await texts(a.url, 'school'))[0]).toContain('一级故障');
    await kill(a.proc); // every timer of the ticket is still pending
    await sleep(4500); // reminder, escalation and breach all fall due while nobody runs
    const b = await startChildBot(env);
    try {
      const end = Date.now() + 20_000;
      while ((await texts(b.url, 'p2p:wanghaiqin')).length === 0 && Date.now() < end) await sleep(100);
      await sleep(1500); // let any duplicate show up
      const leadTexts = await texts(b.url, 'p2p:lishuang');
      const count = (prefix: string) => leadTexts.filter((x) => x.startsWith(prefix)).length;
      expect(count('⏰')).toBe(1);
      expect(count('⚠️')).toBe(1);
      expect(leadTexts.filter((x) => x.startsWith('🚨 已超时'))).toHaveLength(1);
      expect(await texts(b.url, 'p2p:wanghaiqin')).toHaveLength(1);
      expect((await texts(b.url, 'team')).filter((x) => x.startsWith('🚨 已超时'))).toHaveLength(1);
      // no reply was sent twice
      expect((await texts(b.url, 'school')).filter((x) => x.includes('已为您创建工单'))).toHaveLength(1);
    } finally {
      await kill(b.proc, 'SIGTERM');
    }
  });
});
