import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatyBuilder } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { Spacer } from '../../src/channels/rate-limit.ts';
import { createApp, type App } from '../../src/app.ts';
import type { WechatChannel } from '../../src/channels/wechat/wechat-channel.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { LeaseLock } from '../../src/store/lease-lock.ts';
import { connectRedis } from '../../src/store/connection.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep, waitFor } from '../support/wait.ts';


describe('WeChat through real wechaty and wechaty-puppet-mock', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let app: App;
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const bot = WechatyBuilder.build({ puppet, name: 'aftersales-test' });
  const [botUser, teacher, lishuang, stranger] = mocker.createContacts(4) as [mock.ContactMock, mock.ContactMock, mock.ContactMock, mock.ContactMock];
  const school = mocker.createRoom({ topic: '实训中心教师群', memberIdList: [botUser.id, teacher.id, lishuang.id, stranger.id] });
  const team = mocker.createRoom({ topic: '售后服务群', memberIdList: [botUser.id, lishuang.id] });
  /** What the bot said, as the puppet saw it: {to: room id or contact id, text}. */
  const said: { to: string; text: string }[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
    const policy = loadPolicy(undefined);
    policy.chats = policy.chats.map((c) => ({ ...c, ids: { ...c.ids, wechat: c.role === 'team' ? team.id : `topic:实训中心教师群` } }));
    bot.on('message', (m) => {
      if (m.self()) said.push({ to: m.room()?.id ?? m.listener()?.id ?? '?', text: m.text() });
    });
    app = await createApp({
      redisUrl: redis.url,
      policy,
      log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      channels: { wechat: { puppet: 'wechaty-puppet-mock', chatSpacingMs: 0, globalSpacingMs: 0, wechaty: bot, leaseMs: 600 } },
    });
    await waitFor(() => (app.channel('wechat') as WechatChannel).holdsLock);
    mocker.login(botUser);
    await sleep(200);
  });
  afterAll(async () => {
    await app.stop();
    await redis.cleanup();
  });

  it('a room message mentioning the bot becomes a ticket and a reply in the room naming #N', async () => {
    teacher.say('@bot 实训平台打不开了，全班都登不上去', [botUser]).to(school);
    const reply = await waitFor(() => said.find((x) => x.to === school.id && x.text.includes('#1')));
    expect(reply.text).toContain('一级故障');
    const t = (await app.services.store.get(1))!;
    expect(t).toMatchObject({ level: 'L1', reporter: { platform: 'wechat', userId: teacher.id }, chat: { chatId: school.id, kind: 'group' } });
    // the team room got the notice as plain text with the command to type
    const notice = await waitFor(() => said.find((x) => x.to === team.id && x.text.includes('【新工单 #1】')));
    expect(notice.text).toContain('「接单 #1」');
    // without a mention the bot stays quiet
    stranger.say('大家下午好').to(school);
    await sleep(200);
    expect(said.filter((x) => x.text.includes('大家下午好'))).toEqual([]);
  });

  it('a private message becomes a ticket', async () => {
    teacher.say('305机房投影仪坏了，没法上课').to(botUser);
    const reply = await waitFor(() => said.find((x) => x.to === teacher.id && x.text.includes('三级故障')));
    expect(reply.text).toMatch(/#\d+/);
    expect((await app.services.store.byReporter('wechat', teacher.id)).some((t) => t.chat.kind === 'p2p')).toBe(true);
  });

  it('binds staff with a one-time code; 接单 is accepted from the bound contact and refused from an unbound one', async () => {
    stranger.say('接单 #1').to(school);
    await waitFor(() => said.find((x) => x.to === school.id && x.text.includes('服务团队的命令')));
    expect((await app.services.store.get(1))!.status).toBe('open');

    const wrong = '000000';
    lishuang.say(`绑定 ${wrong}`).to(botUser);
    await waitFor(() => said.find((x) => x.to === lishuang.id && x.text.includes('绑定码无效')));
    const code = await app.bindings.createCode('lishuang');
    lishuang.say(`绑定 ${code}`).to(botUser);
    await waitFor(() => said.find((x) => x.to === lishuang.id && x.text.includes('绑定成功')));
    lishuang.say(`绑定 ${code}`).to(botUser); // used once only
    await waitFor(() => said.filter((x) => x.to === lishuang.id && x.text.includes('绑定码无效')).length === 2);

    lishuang.say('接单 #1').to(school);
    await waitFor(() => said.find((x) => x.to === school.id && x.text.includes('已接单')));
    expect((await app.services.store.get(1))!).toMatchObject({ status: 'acknowledged', assignee: 'lishuang' });
    // and the bound contact now gets staff messages privately (here: the assignment notice)
    await app.outboxQueue.deliver('test-reminder', [{ dest: { to: 'staff', staffId: 'lishuang' }, msg: { text: '⏰ 测试提醒' } }]);
    await waitFor(() => said.find((x) => x.to === lishuang.id && x.text === '⏰ 测试提醒'));
  });

  it('sends a message key once: a resend after a crash (safety net, relay, stalled job) reaches nobody twice', async () => {
    const route = { platform: 'wechat', target: { kind: 'chat' as const, chatId: team.id } };
    await Promise.all([1, 2, 3].map(() => app.outbox.sendRoute(route, { text: '只发一次' }, 'wechat-once').catch(() => {})));
    await app.outbox.sendRoute(route, { text: '只发一次' }, 'wechat-once');
    await sleep(200);
    expect(said.filter((x) => x.to === team.id && x.text === '只发一次')).toHaveLength(1);
  });
});

describe('one WeChat login at a time', () => {
  it('the lease lock admits one instance and lets another take over when the holder dies', async () => {
    const redis = await startTestRedis();
    const r1 = connectRedis(redis.url);
    const r2 = connectRedis(redis.url);
    try {
      const a = new LeaseLock(r1, 'as:test:lock', 500);
      const b = new LeaseLock(r2, 'as:test:lock', 500);
      expect(await a.tryAcquire()).toBe(true);
      expect(await b.tryAcquire()).toBe(false);
      expect(await a.renew()).toBe(true);
      expect(await b.tryAcquire()).toBe(false);
      // a dies without releasing: after the lease, b takes over, and a's renewal then fails
      await sleep(600);
      expect(await b.tryAcquire()).toBe(true);
      expect(await a.renew()).toBe(false);
      // run(): a second runner waits while the first holds the lock
      const events: string[] = [];
      const c = new LeaseLock(r1, 'as:test:lock2', 300);
      const d = new LeaseLock(r2, 'as:test:lock2', 300);
      c.run(async () => void events.push('c'), async () => void events.push('c-lost'));
      await sleep(50);
      d.run(async () => void events.push('d'), async () => void events.push('d-lost'));
      await sleep(400);
      expect(events).toEqual(['c']);
      await c.stop(); // releases
      await sleep(300);
      expect(events).toEqual(['c', 'd']);
      await d.stop();
    } finally {
      r1.disconnect();
      r2.disconnect();
      await redis.cleanup();
    }
  });

  it('the send spacing spreads a burst of 50 without dropping any', async () => {
    const spacer = new Spacer(20, 5);
    const delivered: number[] = [];
    const start = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => spacer.run('room-1', async () => void delivered.push(i))));
    expect(delivered).toHaveLength(50);
    expect(delivered).toEqual([...delivered].sort((x, y) => x - y)); // in order
    expect(Date.now() - start).toBeGreaterThanOrEqual(49 * 20); // a lower bound the spacer guarantees
  });
});
