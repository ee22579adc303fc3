import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { configureChannels } from '../../src/channels/registry.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import type { Policy } from '../../src/domain/contract/policy.ts';
import { kill, startChildBot } from '../support/child-bot.ts';
import { TestClock } from '../support/clock.ts';
import { startTestRedis } from '../support/redis.ts';
import { waitFor } from '../support/wait.ts';
import { FakeWecom } from '../support/wecom-fake.ts';

// WeCom through the real @wecom/aibot-node-sdk against a local fake of its long-connection server.
const SCHOOL = 'wrSchoolGroup0001';
const TEAM = 'wrTeamGroup0002';
const LEAD = 'LiShuang';
const TEACHER = 'ZhangFang';

function wecomPolicy(): Policy {
  const p = loadPolicy(undefined);
  const ids: Record<string, string> = { lishuang: LEAD, wanghaiqin: 'WangHaiqin', zhangtianhui: 'ZhangTianhui' };
  p.roster = p.roster.map((m) => (ids[m.id] ? { ...m, ids: { ...m.ids, wecom: ids[m.id]! } } : m));
  p.chats = p.chats.map((c) => ({ ...c, ids: { ...c.ids, wecom: c.role === 'team' ? TEAM : SCHOOL } }));
  // Each report here is its own ticket (joining reports of one fault is tested in incidents.test.ts).
  p.incident = { ...p.incident, joinWindow: 0 };
  return p;
}

describe('WeCom through the official AI-bot SDK (long connection to a fake server)', () => {
  let fake: FakeWecom;
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let app: App;
  const clock = new TestClock(Date.parse('2026-12-01T01:00:00Z'));
  const store = () => app.services.store;

  beforeAll(async () => {
    fake = await FakeWecom.start();
    redis = await startTestRedis();
    app = await createApp({
      redisUrl: redis.url,
      policy: wecomPolicy(),
      now: clock.now,
      log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      channels: { wecom: { botId: fake.botId, secret: fake.secret, wsUrl: fake.url, chatSpacingMs: 0, globalSpacingMs: 0, reconnectMs: 200, heartbeatMs: 2000 } },
      outboxRetry: { attempts: 20, delayMs: 100 },
    });
    await waitFor(() => fake.connected === 1);
  });
  afterAll(async () => {
    await app.stop();
    await redis.cleanup();
    await fake.stop();
  });

  it('a teacher\'s group report gets a reply with the ticket number and level; the team group gets the notice as a card with buttons', async () => {
    fake.text(TEACHER, '@售后助手 实训平台打不开了，全班都登不上去', { chatid: SCHOOL });
    const reply = await waitFor(() => fake.textsTo(SCHOOL).find((x) => x.includes('#1')));
    expect(reply).toContain('一级故障');
    const t = (await store().get(1))!;
    expect(t).toMatchObject({ level: 'L1', text: '实训平台打不开了，全班都登不上去', reporter: { platform: 'wecom', userId: TEACHER }, chat: { platform: 'wecom', chatId: SCHOOL, kind: 'group' } });
    const notice = await waitFor(() => fake.sent.find((s) => s.body.chatid === TEAM && s.body.msgtype === 'template_card'));
    const card = notice.body.template_card as { main_title: { title: string }; button_list: { text: string; key: string }[]; task_id: string };
    expect(card.main_title.title).toContain('#1');
    expect(card.button_list.map((b) => b.text)).toContain('接单');
    expect(card.task_id).toMatch(/^[A-Za-z0-9_\-@]{1,128}$/);
  });

  it('a replayed frame (same msgid) makes no second ticket', async () => {
    const before = await store().count();
    const msgid = fake.text(TEACHER, '@售后助手 305机房投影仪坏了，没法上课', { chatid: SCHOOL });
    await waitFor(async () => (await store().count()) === before + 1);
    const replies = () => fake.textsTo(SCHOOL).filter((x) => x.includes(`#${before + 1}`)).length;
    await waitFor(() => replies() > 0);
    fake.text(TEACHER, '@售后助手 305机房投影仪坏了，没法上课', { chatid: SCHOOL, msgid });
    await new Promise((r) => setTimeout(r, 300));
    expect(await store().count()).toBe(before + 1);
    expect(replies()).toBe(1);
  });

  it('the lead\'s 接单 #N from his WeCom id is accepted; the same words from a teacher are refused', async () => {
    fake.text(TEACHER, '接单 #1', { chatid: SCHOOL });
    await waitFor(() => fake.textsTo(SCHOOL).find((x) => x.includes('服务团队的命令')));
    expect((await store().get(1))!.status).toBe('open');
    fake.text(LEAD, '接单 #1', { chatid: TEAM });
    await waitFor(async () => (await store().get(1))!.status === 'acknowledged');
    expect((await store().get(1))!.assignee).toBe('lishuang');
    // 我的ID gives the WeCom ids for the roster (a private chat's id is the person's userid).
    fake.text('NewEngineer', '我的ID');
    expect(await waitFor(() => fake.textsTo('NewEngineer').at(-1))).toContain('NewEngineer');
    fake.text(LEAD, '@售后助手 我的ID', { chatid: TEAM });
    expect(await waitFor(() => fake.textsTo(TEAM).find((x) => x.includes(TEAM) && x.includes(LEAD)))).toContain('李爽');
  });

  it('a card click acks the ticket and redraws the card within the callback; a click on an outdated card changes nothing', async () => {
    // Another teacher: the same teacher writing again within minutes adds detail to their ticket.
    fake.text('LiuMing', '@售后助手 服务器硬盘报警了，系统很卡', { chatid: SCHOOL });
    const n = await waitFor(async () => (await store().byReporter('wecom', 'LiuMing')).find((t) => t.text.includes('硬盘'))?.n);
    const notice = await waitFor(() => fake.sent.find((s) => s.body.chatid === TEAM && (s.body.template_card as { main_title?: { title?: string } } | undefined)?.main_title?.title?.includes(`#${n}`)));
    const card = notice.body.template_card as { button_list: { text: string; key: string }[]; task_id: string };
    const ack = card.button_list.find((b) => b.text === '接单')!;
    const reqId = fake.click(LEAD, ack.key, card.task_id, TEAM);
    await waitFor(async () => (await store().get(n))!.status === 'acknowledged');
    const update = await waitFor(() => fake.sent.find((s) => s.cmd === 'aibot_respond_update_msg' && s.req_id === reqId));
    expect(update.body).toMatchObject({ response_type: 'update_template_card', template_card: { task_id: card.task_id } });
    // The same button again: the card is outdated; nothing changes, the card is redrawn as it is now.
    const again = fake.click(LEAD, ack.key, card.task_id, TEAM);
    await waitFor(() => fake.sent.find((s) => s.cmd === 'aibot_respond_update_msg' && s.req_id === again));
    expect((await store().get(n))!.history.filter((h) => h.action === 'ack')).toHaveLength(1);
  });

  it('a reminder reaches the engineer privately (his userid)', async () => {
    fake.text('ChenJing', '@售后助手 教务系统崩溃了，全校都用不了', { chatid: SCHOOL });
    const n = await waitFor(async () => (await store().byReporter('wecom', 'ChenJing')).find((t) => t.text.includes('教务系统'))?.n);
    await clock.advance(app, 21 * 60_000); // 2/3 of L1's 30-minute response window
    const reminder = await waitFor(() => fake.textsTo(LEAD).find((x) => x.includes(`#${n}`)));
    expect(reminder).toMatch(/响应/);
  });

  it('a dropped connection is re-made and re-subscribed; what could not be sent meanwhile is sent after (nothing lost)', async () => {
    const subs = fake.subscriptions;
    fake.drop();
    await waitFor(() => fake.subscriptions > subs && fake.connected === 1, 20_000);
    // WeCom refuses sends for a while: the reply is retried by the outbox until it goes through.
    fake.sendErrcode = 45009;
    fake.text('ZhaoLei', '@售后助手 打印机卡纸了', { chatid: SCHOOL });
    const n = await waitFor(async () => (await store().byReporter('wecom', 'ZhaoLei')).find((t) => t.text.includes('打印机'))?.n);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.textsTo(SCHOOL).some((x) => x.includes(`#${n}`))).toBe(false);
    fake.sendErrcode = 0;
    await waitFor(() => fake.textsTo(SCHOOL).find((x) => x.includes(`#${n}`)), 10_000);
    expect(fake.textsTo(SCHOOL).filter((x) => x.includes(`#${n}`) && x.includes('三级故障'))).toHaveLength(1);
  });

  it('a notice too long for its card goes as text and then the card; a retry after the card failed does not repeat the text', async () => {
    fake.refuseCards = true;
    fake.text('QianYu', '@售后助手 电子阅览室的服务器机柜冒烟了，有焦糊味，所有电脑都连不上服务器，学生的机考马上就要开始了，请尽快派人来看一下', { chatid: SCHOOL });
    const n = await waitFor(async () => (await store().byReporter('wecom', 'QianYu'))[0]?.n);
    const texts = () => fake.sent.filter((s) => s.body.chatid === TEAM && s.body.msgtype === 'markdown' && JSON.stringify(s.body).includes(`#${n}`));
    await waitFor(() => texts().length === 1);
    await new Promise((r) => setTimeout(r, 500)); // the outbox retries the refused card meanwhile
    fake.refuseCards = false;
    await waitFor(() => fake.sent.find((s) => s.body.chatid === TEAM && s.body.msgtype === 'template_card' && JSON.stringify(s.body).includes(`#${n}`)), 10_000);
    expect(texts()).toHaveLength(1);
  });

  it('bad frames from the platform are logged and ignored: malformed JSON, unknown commands, missing fields, huge text', async () => {
    const before = await store().count();
    fake.push('{not json');
    fake.push({ cmd: 'aibot_something_new', headers: { req_id: 'x' }, body: { msgtype: 'text' } });
    fake.push({ cmd: 'aibot_msg_callback', headers: { req_id: 'y' }, body: { msgtype: 'text', chattype: 'group', from: { userid: TEACHER } } }); // no msgid, no chatid
    fake.push({ cmd: 'aibot_msg_callback', headers: { req_id: 'z' }, body: { msgid: 'm-notext', msgtype: 'text', chattype: 'single', from: { userid: 'NoText' } } }); // text without content
    fake.push({ cmd: 'aibot_event_callback', headers: { req_id: 'e' }, body: { msgid: 'e1', msgtype: 'event', from: { userid: LEAD }, event: { eventtype: 'template_card_event', event_key: 'not-ours', task_id: 't' } } });
    fake.text('SunLi', `@售后助手 实验室电脑蓝屏了 ${'很长的描述'.repeat(3000)}`, { chatid: SCHOOL });
    const t = await waitFor(async () => (await store().count()) > before && (await store().get(before + 1)));
    expect(t.truncated).toBe(true);
    expect(await store().byReporter('wecom', 'NoText')).toEqual([]);
    expect(fake.textsTo('NoText')).toEqual([]);
    expect(fake.connected).toBe(1); // still up
    await waitFor(() => fake.textsTo(SCHOOL).find((x) => x.includes(`#${before + 1}`)));
  });

  it('replaced by another connection of the same bot id: /readyz says why and the connection is not fought over', async () => {
    const ch = app.channel('wecom') as unknown as { status(): { ok: boolean; reason?: string } };
    const subs = fake.subscriptions;
    fake.replace();
    await waitFor(() => ch.status().reason?.includes('replaced by another connection'), 5_000);
    // The lead hears it through another channel; with WeCom alone there is none here, so the status is what shows it.
    expect(ch.status().ok).toBe(false);
    expect(fake.subscriptions).toBe(subs);
  });

  it('with no WeCom variables WeCom is not configured (its SDK is never imported); half the variables is an error', () => {
    expect(configureChannels({}, false)).not.toHaveProperty('wecom');
    expect(configureChannels({ WECOM_BOT_ID: 'b', WECOM_BOT_SECRET: 's', WECOM_WS_URL: 'ws://127.0.0.1:1' }, false).wecom).toMatchObject({ botId: 'b', wsUrl: 'ws://127.0.0.1:1' });
    expect(() => configureChannels({ WECOM_BOT_ID: 'b' }, false)).toThrow(/invalid WeCom settings: WECOM_BOT_SECRET/);
  });
});

describe('`aftersales start` with WECOM_* variables against the fake server (the issue\'s scenario, as a process)', () => {
  it('report → reply with #N and level, team notice, the lead\'s 接单 accepted, a replay ignored, re-subscribed after a drop', async () => {
    const fake = await FakeWecom.start('bot-proc', 'secret-proc');
    const redis = await startTestRedis();
    const dir = mkdtempSync(join(tmpdir(), 'as-wecom-'));
    const policy = join(dir, 'policy.yaml');
    writeFileSync(
      policy,
      [
        'roster:',
        `  - { id: lishuang, name: 李爽, title: 组长, roles: [lead, engineer], ids: { wecom: ${LEAD} } }`,
        '  - { id: wanghaiqin, name: 王海芹, title: 经理, roles: [manager], ids: { wecom: WangHaiqin } }',
        'chats:',
        `  - { id: school, name: 实训中心教师群, role: school, ids: { wecom: ${SCHOOL} } }`,
        `  - { id: team, name: 售后服务群, role: team, ids: { wecom: ${TEAM} } }`,
      ].join('\n'),
    );
    const bot = await startChildBot({ REDIS_URL: redis.url, AFTERSALES_POLICY: policy, WECOM_BOT_ID: 'bot-proc', WECOM_BOT_SECRET: 'secret-proc', WECOM_WS_URL: fake.url });
    try {
      await waitFor(() => fake.connected === 1, 10_000);
      const msgid = fake.text(TEACHER, '@售后助手 实训平台打不开了，全班都登不上去', { chatid: SCHOOL });
      expect(await waitFor(() => fake.textsTo(SCHOOL).find((x) => x.includes('#1')), 10_000)).toContain('一级故障');
      expect(await waitFor(() => fake.textsTo(TEAM).find((x) => x.includes('#1')), 10_000)).toContain('一级故障');
      fake.text(TEACHER, '@售后助手 实训平台打不开了，全班都登不上去', { chatid: SCHOOL, msgid }); // replayed
      fake.text(LEAD, '接单 #1', { chatid: TEAM });
      await waitFor(() => fake.textsTo(TEAM).find((x) => x.includes('#1') && x.includes('接单') && x.includes('李爽') && !x.includes('新工单')), 10_000);
      expect(fake.textsTo(SCHOOL).filter((x) => x.includes('已为您创建工单'))).toHaveLength(1);
      expect(fake.sent.some((s) => JSON.stringify(s.body).includes('#2'))).toBe(false);
      const subs = fake.subscriptions;
      fake.drop();
      await waitFor(() => fake.subscriptions > subs && fake.connected === 1, 20_000);
      expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
      expect(bot.output()).not.toContain('secret-proc');
    } finally {
      await kill(bot.proc, 'SIGTERM');
      await fake.stop();
      await redis.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

