import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { startTestBot, teacher, type TestBot } from '../support/bot.ts';
import { startTestRedis } from '../support/redis.ts';
import { TestClock } from '../support/clock.ts';
import { waitFor } from '../support/wait.ts';

// The contract's windows on a clock both processes share and the test moves: the L1 response
// clock breaches 30 minutes after the report.
const policy = loadPolicy(undefined);
const clock = new TestClock();

describe('AFTERSALES_ROLE: a web front end and a worker against one Redis', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let web: TestBot;
  let worker: TestBot;

  beforeAll(async () => {
    redis = await startTestRedis();
    web = await startTestBot(redis.url, { policy, role: 'web', now: clock.now });
    worker = await startTestBot(redis.url, { policy, role: 'worker', now: clock.now });
  });
  afterAll(async () => {
    await web.stop();
    await worker.stop();
    await redis.cleanup();
  });

  it('the web role takes the message and stores the ticket; the worker sends the reply and fires its timers', async () => {
    const res = await web.post({ chat: 'school', user: teacher, text: '@售后助手 实训平台打不开了，全班都登不上去', mention: true });
    expect(res.status).toBe(201);
    const t = (await web.app.services.store.byReporter('sim', teacher.id))[0]!;
    expect(t.level).toBe('L1');
    // the web process runs no workers: it sends the reply at once itself (its safety-net job is
    // removed), while every timer runs on the worker
    expect(web.app.outboxQueue.sending).toEqual([]);
    expect(worker.app.outboxQueue.sending).toEqual(['sim']);
    const reply = await waitFor(async () => (await web.botTexts('school')).find((x) => x.includes(`#${t.n}`)));
    expect(reply).toContain('一级故障');
    // the breach is fired by the worker's timers and reaches the manager once
    await clock.advance(worker.app, 31 * 60_000);
    const breach = await waitFor(async () => (await web.messages('p2p:wanghaiqin')).find((m) => m.text.includes(`#${t.n}`)), 15_000);
    expect(breach.text).toContain('已超时');
    expect(breach.ts).toBeGreaterThanOrEqual(t.clocks.response!.dueAt);
  });

  it('the worker serves health and metrics but not the simulator or webhooks', async () => {
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${worker.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, role: 'worker' });
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${worker.url}/sim/chats`)).status).toBe(404);
    expect((await fetch(`${web.url}/sim/chats`)).status).toBe(200);
    expect(await (await fetch(`${web.url}/readyz`)).json()).toMatchObject({ ok: true, role: 'web' });
  });
});
