import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestBot, teacher, type TestBot } from '../support/bot.ts';
import { startTestRedis } from '../support/redis.ts';

// 14:05 in Shanghai: a 30-minute L1 deadline reads "今天 14:35".
const T0 = DateTime.fromISO('2026-11-25T14:05:00', { zone: 'Asia/Shanghai' }).toMillis();
let clock = T0;

describe('intake through the simulator API', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let bot: TestBot;

  beforeAll(async () => {
    redis = await startTestRedis();
    bot = await startTestBot(redis.url, { now: () => clock });
  });
  afterAll(async () => {
    await bot.stop();
    await redis.cleanup();
  });
  beforeEach(() => {
    clock += 3600_000; // each case starts well outside the previous one's follow-up window
  });

  it('turns an L1 report into ticket #1 with the contract deadline, and notifies the team', async () => {
    clock = T0;
    const r = await bot.post({ chat: 'school', user: teacher, text: '@售后助手 实训平台打不开了，全班都登不上去', mention: true });
    expect(r.status).toBe(201);
    expect(r.json.id).toEqual(expect.any(String));
    const replies = await bot.botTexts('school');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('#1');
    expect(replies[0]).toContain('一级故障');
    expect(replies[0]).toContain('今天 14:35前');
    const team = await bot.messages('team');
    expect(team).toHaveLength(1);
    expect(team[0]!.from.id).toBe('bot');
    expect(team[0]!.text).toContain('#1');
    expect(team[0]!.text).toContain('王老师');
    expect(team[0]!.card).toMatchObject({ color: 'red', ticket: { n: 1, version: 0 } });
    expect((team[0]!.card as { actions: { command: string }[] }).actions.map((a) => a.command)).toContain('接单 #1');
    const t = await bot.app.services.store.get(1);
    expect(t).toMatchObject({ n: 1, level: 'L1', status: 'open', reporter: { platform: 'sim', userId: 't-wang', name: '王老师' }, chat: { chatId: 'school', kind: 'group' } });
    expect(t!.clocks.response!.dueAt - t!.createdAt).toBe(30 * 60_000);
    expect(t!.history[0]!.action).toBe('created');
  });

  it('exposes Prometheus metrics: tickets by level and status, open clocks, outbox sends, classifier labels, handling latency', async () => {
    const res = await fetch(`${bot.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('aftersales_tickets_created_total{level="L1"} 1');
    expect(text).toMatch(/aftersales_open_tickets\{level="L1",status="open"\} 1/);
    expect(text).toMatch(/aftersales_open_clocks [1-9]/);
    expect(text).toMatch(/aftersales_outbox_sends_total\{platform="sim",result="sent"\} [1-9]/);
    expect(text).toContain('aftersales_reminder_lateness_seconds_bucket');
    expect(text).toContain('aftersales_breaches_total');
    expect(text).toContain('aftersales_classifier_labels_total{label="L1"}');
    expect(text).toContain('aftersales_event_handling_seconds_count{platform="sim"}');
    expect(text).toContain('aftersales_process_resident_memory_bytes');
  });

  it('lists messages in order with the documented shape', async () => {
    const all = await bot.messages('school');
    expect(all[0]).toMatchObject({ chat: 'school', from: { id: 't-wang', name: '王老师' }, text: '@售后助手 实训平台打不开了，全班都登不上去' });
    expect(all[1]!.from.id).toBe('bot');
    expect(all[0]!.ts).toBeLessThanOrEqual(all[1]!.ts);
    expect(typeof all[0]!.ts).toBe('number');
  });

  it('adds a follow-up within 10 minutes to the open ticket instead of opening another', async () => {
    const u = { id: 't-liu', name: '刘老师' };
    await bot.post({ chat: 'school', user: u, text: '@售后助手 302机房投影仪坏了，没法上课', mention: true });
    const before = await bot.app.services.store.count();
    clock += 3 * 60_000;
    await bot.post({ chat: 'school', user: u, text: '@售后助手 补充一下，是靠窗那台', mention: true });
    expect(await bot.app.services.store.count()).toBe(before);
    const texts = await bot.botTexts('school');
    expect(texts.at(-1)).toMatch(/已补充到工单 #\d+/);
    const mine = await bot.app.services.store.byReporter('sim', 't-liu');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.followUps.map((f) => f.text)).toEqual(['补充一下，是靠窗那台']);
  });

  it('a new fault from the same person is a new ticket', async () => {
    const u = { id: 't-chen', name: '陈老师' };
    await bot.post({ chat: 'school', user: u, text: '@售后助手 凭证录入模块打不开，一直转圈', mention: true });
    clock += 60_000;
    await bot.post({ chat: 'school', user: u, text: '@售后助手 服务器机柜温度报警了', mention: true });
    const mine = await bot.app.services.store.byReporter('sim', 't-chen');
    expect(mine).toHaveLength(2);
  });

  it('answers thanks kindly without a ticket, and ignores group chatter not addressed to it', async () => {
    const before = await bot.app.services.store.count();
    const u = { id: 't-zhao', name: '赵老师' };
    await bot.post({ chat: 'school', user: u, text: '@售后助手 谢谢！', mention: true });
    const n = (await bot.botTexts('school')).length;
    await bot.post({ chat: 'school', user: u, text: '服务器硬盘报警了', mention: false });
    expect(await bot.app.services.store.count()).toBe(before);
    expect((await bot.botTexts('school')).at(-1)).toBe('不客气！有问题随时 @我。');
    expect((await bot.botTexts('school')).length).toBe(n);
  });

  it('takes a report in a private chat without a mention', async () => {
    const u = { id: 't-sun', name: '孙老师' };
    const r = await bot.post({ chat: 'p2p:t-sun', user: u, text: '305机房的投影仪坏了，下午的课上不了', mention: false });
    expect(r.status).toBe(201);
    const texts = await bot.botTexts('p2p:t-sun');
    expect(texts[0]).toMatch(/工单 #\d+（三级故障）/);
  });

  it('handles bad input without crashing or losing a ticket', async () => {
    const u = { id: 't-qian', name: '钱老师' };
    expect((await bot.post('not json')).status).toBe(400);
    expect((await bot.post({ chat: 'school' })).status).toBe(400);
    const unknown = await bot.post({ chat: 'nowhere', user: u, text: 'hi' });
    expect(unknown.status).toBe(404);
    expect((await bot.post({ chat: 'p2p:someone-else', user: u, text: 'hi' })).status).toBe(400);
    // empty and emoji-only: a hint, no ticket
    const before = await bot.app.services.store.count();
    expect((await bot.post({ chat: 'school', user: u, text: '   ', mention: true })).status).toBe(201);
    expect((await bot.botTexts('school')).at(-1)).toContain('请直接描述遇到的问题');
    expect((await bot.post({ chat: 'school', user: u, text: '😭😭😭', mention: true })).status).toBe(201);
    expect(await bot.app.services.store.count()).toBe(before);
    // huge: truncated with a notice, ticket still created
    const huge = '服务器硬盘报警了。' + '日志'.repeat(5000);
    expect((await bot.post({ chat: 'school', user: u, text: `@售后助手 ${huge}`, mention: true })).status).toBe(201);
    expect((await bot.botTexts('school')).at(-1)).toContain('超过 4000 字');
    const t = (await bot.app.services.store.byReporter('sim', 't-qian'))[0]!;
    expect([...t.text].length).toBe(4000);
    expect(t.truncated).toBe(true);
    expect(t.level).toBe('L2');
    expect((await fetch(`${bot.url}/sim/messages?chat=nowhere`)).status).toBe(404);
    expect((await fetch(`${bot.url}/sim/messages`)).status).toBe(400);
  });

  it('keeps an image sent alone and attaches it to the next report', async () => {
    const u = { id: 't-zhou', name: '周老师' };
    await bot.post({ chat: 'school', user: u, text: '', mention: true, attachments: [{ kind: 'image', name: '报错.png', ref: 'img-1' }] });
    expect((await bot.botTexts('school')).at(-1)).toContain('已先保存');
    await bot.post({ chat: 'school', user: u, text: '@售后助手 打印机卡纸了，打不出来', mention: true });
    const t = (await bot.app.services.store.byReporter('sim', 't-zhou'))[0]!;
    expect(t.attachments).toEqual([{ kind: 'image', name: '报错.png', ref: 'img-1' }]);
  });

  it('ignores a replayed platform message', async () => {
    const before = await bot.app.services.store.count();
    const msg = { platform: 'sim' as const, chatId: 'school', chatKind: 'group' as const, sender: { userId: 't-wu', name: '吴老师' }, text: '@售后助手 整个机房都断网了', mentionsBot: true, messageId: 'replay-1', at: clock, attachments: [] };
    await bot.app.dispatch(msg);
    await bot.app.dispatch(msg);
    expect(await bot.app.services.store.count()).toBe(before + 1);
  });
});

describe('simulator page', () => {
  it('serves a Chinese chat page with the controls the API drives', async () => {
    const redis = await startTestRedis();
    const bot = await startTestBot(redis.url);
    try {
      const res = await fetch(`${bot.url}/`);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('lang="zh-CN"');
      for (const id of ['id="messages"', 'id="input"', 'id="send"', 'id="identity"', 'id="chat-list"']) expect(html).toContain(id);
      const chats = (await (await fetch(`${bot.url}/sim/chats`)).json()) as { groups: { id: string }[]; roster: { id: string }[]; timezone: string };
      expect(chats.groups.map((g) => g.id)).toEqual(['school', 'team']);
      expect(chats.roster.map((r) => r.id)).toEqual(['wanghaiqin', 'lishuang', 'zhangtianhui', 'wujinjin']);
      expect(chats.timezone).toBe('Asia/Shanghai');
    } finally {
      await bot.stop();
      await redis.cleanup();
    }
  });
});

describe('flood control and readiness', () => {
  it('a person sending more than the limit gets one polite notice and no ticket flood', async () => {
    const redis = await startTestRedis();
    const p = (await import('../../src/config/policy-file.ts')).loadPolicy(undefined);
    p.flood = { messages: 5, window: 60_000 };
    const bot = await startTestBot(redis.url, { policy: p });
    try {
      const u = { id: 't-flood', name: '刷老师' };
      for (let i = 0; i < 12; i++) await bot.post({ chat: `p2p:${u.id}`, user: u, text: `第${i}台电脑鼠标坏了` });
      const texts = await bot.botTexts(`p2p:${u.id}`);
      expect(texts.filter((x) => x.includes('消息有点多'))).toHaveLength(1);
      expect((await bot.app.services.store.byReporter('sim', u.id)).length).toBeLessThanOrEqual(5);
      // others are not affected
      await bot.post({ chat: 'p2p:t-calm', user: { id: 't-calm', name: '静老师' }, text: '投影仪坏了，没法上课' });
      expect((await bot.botTexts('p2p:t-calm')).at(-1)).toContain('三级故障');
    } finally {
      await bot.stop();
      await redis.cleanup();
    }
  });

  it('/readyz answers 200 with Redis up and 503 with Redis stopped', async () => {
    const redis = await startTestRedis();
    const bot = await startTestBot(redis.url, { role: 'web' }); // no BullMQ workers reconnecting in the background
    bot.app.redis.on('error', () => {});
    try {
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      await redis.stop();
      const r = await fetch(`${bot.url}/readyz`);
      expect(r.status).toBe(503);
      expect(JSON.stringify(await r.json())).toContain('redis');
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    } finally {
      // Workers cannot close cleanly without Redis: give them a moment, then move on.
      await Promise.race([bot.stop(), new Promise((r) => setTimeout(r, 3000))]);
      await redis.cleanup();
    }
  });
});
