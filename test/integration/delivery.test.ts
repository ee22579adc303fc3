import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import type { IncomingMessage } from '../../src/domain/messages.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep, waitFor } from '../support/wait.ts';

const report = (id: string, user: string, text = '@售后助手 机房的服务器硬盘报警了'): IncomingMessage => ({
  platform: 'sim', chatId: 'school', chatKind: 'group', sender: { userId: user, name: `${user}老师` }, text, mentionsBot: true, messageId: id, at: Date.now(), attachments: [],
});

describe('no message lost, exactly one reply (in process)', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let app: App;
  let failNextCommit = false;
  let logs = '';

  beforeAll(async () => {
    redis = await startTestRedis();
    const sink = new Writable({ write(chunk, _e, cb) { logs += chunk.toString(); cb(); } });
    const policy = loadPolicy(undefined);
    policy.storm = { tickets: 3, window: 300_000, summaryEvery: 500 };
    // Every report its own ticket: the storm guard is about many tickets (incidents: incidents.test.ts).
    policy.incident = { joinWindow: 0 };
    app = await createApp({
      redisUrl: redis.url, policy, log: pino({ level: 'info' }, sink), channels: { sim: {} }, inboxLeaseMs: 1000,
      faults: { afterCommit: () => { if (failNextCommit) { failNextCommit = false; throw new Error('injected: died after storing'); } } },
    });
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app.stop();
    await redis.cleanup();
  });

  const store = () => app.services.store;
  const sim = () => app.channel('sim') as unknown as { history(chat: string): Promise<{ from: { id: string }; text: string; replyTo?: string }[]> };
  const repliesTo = async (id: string) => (await sim().history('school')).filter((m) => m.from.id === 'bot' && m.replyTo === id);
  const teamLines = async (n: number) => (await sim().history('team')).filter((m) => m.text.includes(`#${n}`));

  it('a message delivered twice at once makes one ticket and one reply; both deliveries succeed', async () => {
    const m = report('dup-1', 't-dup');
    await Promise.all([app.dispatch(m), app.dispatch(m)]);
    expect(await store().byReporter('sim', 't-dup')).toHaveLength(1);
    expect(await repliesTo('dup-1')).toHaveLength(1);
    await app.dispatch(m); // a replay later: ignored
    expect(await repliesTo('dup-1')).toHaveLength(1);
  });

  it('a crash between storing the ticket and queuing its replies: the retry sends the reply and the notice, once', async () => {
    failNextCommit = true;
    const m = report('crash-1', 't-crash');
    await expect(app.dispatch(m)).rejects.toThrow(/injected/); // the platform gets an error and retries
    const [t] = await store().byReporter('sim', 't-crash');
    expect(t).toBeDefined(); // stored, with its timers, but nobody told yet
    expect(await repliesTo('crash-1')).toHaveLength(0);
    await app.dispatch(m); // the platform's retry
    expect(await store().byReporter('sim', 't-crash')).toHaveLength(1);
    expect(await repliesTo('crash-1')).toHaveLength(1);
    expect((await repliesTo('crash-1'))[0]!.text).toContain(`#${t!.n}`);
    expect(await teamLines(t!.n)).toHaveLength(1);
  });

  it('with no retry at all, the relay sends what the dead attempt stored, and a late retry adds nothing', async () => {
    failNextCommit = true;
    const m = report('orphan-1', 't-orphan');
    await expect(app.dispatch(m)).rejects.toThrow(/injected/);
    const [t] = await store().byReporter('sim', 't-orphan');
    expect(await app.relay.run()).toBe(1);
    await waitFor(async () => (await repliesTo('orphan-1')).length === 1);
    await waitFor(async () => (await teamLines(t!.n)).length === 1);
    await app.dispatch(m);
    await sleep(300);
    expect(await repliesTo('orphan-1')).toHaveLength(1);
    expect(await teamLines(t!.n)).toHaveLength(1);
    expect(await app.relay.run()).toBe(0);
  });

  it('a bot restarted before the dead attempt\'s lease runs out sends the reply when it runs out, not at the next 30-s run', async () => {
    failNextCommit = true;
    const m = report('orphan-2', 't-orphan-2');
    await expect(app.dispatch(m)).rejects.toThrow(/injected/);
    // As a killed process leaves it: its lease still live for a moment (here the error released it).
    await app.redis.set('as:inbox:sim:orphan-2', 'a-dead-attempt', 'PX', 800);
    expect(await app.relay.run()).toBe(0); // a live lease: not orphaned yet
    expect(await repliesTo('orphan-2')).toHaveLength(0);
    await waitFor(async () => (await repliesTo('orphan-2')).length === 1, 5_000); // no further run() called here
    const [t] = await store().byReporter('sim', 't-orphan-2');
    await waitFor(async () => (await teamLines(t!.n)).length === 1, 5_000);
  });
  it('a commmand applied before a crash is not applied twice: its announcement is replayed', async () => {
    const [t] = await store().byReporter('sim', 't-dup');
    failNextCommit = true;
    const ack: IncomingMessage = { platform: 'sim', chatId: 'team', chatKind: 'group', sender: { userId: 'lishuang', name: '李爽' }, text: `接单 #${t!.n}`, mentionsBot: false, messageId: 'ack-1', at: Date.now(), attachments: [] };
    await expect(app.dispatch(ack)).rejects.toThrow(/injected/);
    await app.dispatch(ack);
    const after = (await store().get(t!.n))!;
    expect(after.history.filter((h) => h.action === 'ack')).toHaveLength(1);
    const acks = (await sim().history('team')).filter((x) => x.from.id === 'bot' && x.text.includes(`李爽已接单：工单 #${t!.n}`));
    expect(acks).toHaveLength(1);
  });

  it('one key is sent once, however often it is sent', async () => {
    const route = { platform: 'sim', target: { kind: 'chat' as const, chatId: 'team' } };
    for (let i = 0; i < 3; i++) await app.outbox.sendRoute(route, { text: '一次就好' }, 'key-once');
    await app.outbox.sendRoute(route, { text: '一次就好' }, 'key-other');
    expect((await sim().history('team')).filter((x) => x.text === '一次就好')).toHaveLength(2);
  });

  it('a storm of reports in one chat: every one answered, the team gets a summary instead of a card per ticket', async () => {
    const before = (await sim().history('team')).length;
    for (let i = 0; i < 8; i++) await app.dispatch(report(`storm-${i}`, `t-storm-${i}`, `@售后助手 实训平台打不开了，第${i}组都登不上`));
    for (let i = 0; i < 8; i++) expect(await repliesTo(`storm-${i}`)).toHaveLength(1);
    const team = async () => (await sim().history('team')).slice(before);
    // earlier tickets of this file count towards the chat's window too: at most 3 notices, the rest summarised
    const notices = (await team()).filter((x) => x.text.startsWith('【新工单'));
    expect(notices.length).toBeLessThanOrEqual(3);
    const summarised = async () => (await team()).filter((x) => x.text.startsWith('⚠️ 实训中心教师群新工单激增')).map((x) => Number(/又新建 (\d+) 单/.exec(x.text)![1]));
    await waitFor(async () => (await summarised()).reduce((a, b) => a + b, 0) === 8 - notices.length, 10_000);
    const lines = (await team()).filter((x) => x.text.startsWith('⚠️'));
    expect(lines.length).toBeLessThanOrEqual(3); // one a second at most, not one per ticket
    expect(lines[0]!.text).toMatch(/一级故障 \d/);
    expect(lines.every((x) => x.text.includes('#'))).toBe(true);
  });

  it('logs the ticket level as ticketLevel, never clashing with the log level', () => {
    const line = logs.split('\n').find((l) => l.includes('"ticket created"'))!;
    const parsed = JSON.parse(line) as { level: number; ticketLevel: string };
    expect(parsed.level).toBe(30);
    expect(parsed.ticketLevel).toMatch(/^L[1-4]$/);
  });
});

describe('flood notice and readiness under pressure', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let bot: TestBot;
  beforeAll(async () => {
    redis = await startTestRedis();
    const p = loadPolicy(undefined);
    p.flood = { messages: 3, window: 60_000 };
    bot = await startTestBot(redis.url, { policy: p });
  });
  afterAll(async () => {
    await Promise.race([bot.stop(), sleep(3000)]);
    await redis.cleanup();
  });

  it('a flood sent all at once gets exactly one notice', async () => {
    const u = { id: 't-burst', name: '连发老师' };
    await Promise.all(Array.from({ length: 30 }, (_, i) => bot.post({ chat: `p2p:${u.id}`, user: u, text: `第${i}台电脑鼠标坏了` })));
    expect((await bot.botTexts(`p2p:${u.id}`)).filter((x) => x.includes('消息有点多'))).toHaveLength(1);
  });

  it('/readyz while Redis is down answers 503 without unhandled rejections', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    bot.app.redis.on('error', () => {});
    try {
      await redis.stop();
      for (let i = 0; i < 3; i++) expect((await fetch(`${bot.url}/readyz`)).status).toBe(503);
      await sleep(1500); // a ping that lost the race answers (or fails) later
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
