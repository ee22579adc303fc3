import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import type { Policy } from '../../src/domain/contract/policy.ts';
import { cardActionEvent, messageEvent, startFakeFeishu, type FakeFeishu } from '../support/feishu-fake.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep, waitFor } from '../support/wait.ts';

const SCHOOL = 'oc_school0000000000000000000000001';
const TEAM = 'oc_team00000000000000000000000000002';
const LEAD = 'ou_lishuang000000000000000000000001';
const MANAGER = 'ou_wanghaiqin00000000000000000000002';
const DEPUTY = 'ou_zhangtianhui00000000000000000003';
const TEACHER = 'ou_teacher000000000000000000000004';

function feishuPolicy(scale = 1): Policy {
  const p = loadPolicy(undefined, scale);
  const ids: Record<string, string> = { lishuang: LEAD, wanghaiqin: MANAGER, zhangtianhui: DEPUTY };
  p.roster = p.roster.map((m) => (ids[m.id] ? { ...m, ids: { ...m.ids, feishu: ids[m.id]! } } : m));
  p.chats = p.chats.map((c) => ({ ...c, ids: { ...c.ids, feishu: c.role === 'team' ? TEAM : SCHOOL } }));
  return p;
}


const textOf = (content: string): string => {
  const c = JSON.parse(content) as { text?: string };
  return c.text ?? content;
};

async function startBot(fake: FakeFeishu, redisUrl: string, mode: 'ws' | 'webhook', policy = feishuPolicy()): Promise<{ app: App; url: string }> {
  const app = await createApp({
    redisUrl,
    policy,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    channels: { feishu: { appId: fake.appId, appSecret: fake.appSecret, encryptKey: fake.encryptKey, verificationToken: fake.verificationToken, domain: fake.url, mode, retry: { retries: 2, retryBaseMs: 20 } } },
    outboxRetry: { attempts: 2, delayMs: 50 },
  });
  const url = await app.listen(0, '127.0.0.1');
  return { app, url };
}

describe('Feishu webhook mode through the real SDK', () => {
  let fake: FakeFeishu;
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let app: App;
  let url: string;
  const deliver = async (event: object, opts?: { forgeSignature?: boolean; timestamp?: number }) => {
    const req = fake.signedEventRequest(event, opts);
    return fetch(`${url}/feishu/events`, { method: 'POST', headers: req.headers, body: req.body });
  };

  beforeAll(async () => {
    fake = await startFakeFeishu();
    redis = await startTestRedis();
    ({ app, url } = await startBot(fake, redis.url, 'webhook'));
  });
  afterAll(async () => {
    await app.stop();
    await fake.close();
    await redis.cleanup();
  });

  it('an L1 report mentioning the bot makes one ticket and one reply naming #N and 一级故障; a replay changes nothing', async () => {
    const event = messageEvent({ chatId: SCHOOL, chatType: 'group', senderOpenId: TEACHER, text: '实训平台打不开了，全班都登不上', mentionBot: { openId: fake.botOpenId, name: '售后助手' } });
    const res = await deliver(event);
    expect(res.status).toBe(200);
    expect(await app.services.store.count()).toBe(1);
    const t = (await app.services.store.get(1))!;
    expect(t).toMatchObject({ level: 'L1', reporter: { platform: 'feishu', userId: TEACHER }, chat: { platform: 'feishu', chatId: SCHOOL, kind: 'group' } });
    const replies = fake.sent.filter((m) => m.kind === 'reply');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.messageId).toBe(t.messageId);
    expect(textOf(replies[0]!.content)).toContain('#1');
    expect(textOf(replies[0]!.content)).toContain('一级故障');
    // the team group got a card with the ticket and a 接单 button
    const notice = fake.sent.find((m) => m.kind === 'create' && m.receiveId === TEAM)!;
    expect(notice.msgType).toBe('interactive');
    expect(notice.content).toContain('接单 #1');
    expect(JSON.parse(notice.content)).toMatchObject({ schema: '2.0', header: { template: 'red' } });

    const sentBefore = fake.sent.length;
    expect((await deliver(event)).status).toBe(200); // Feishu's retry of the same event
    const again = messageEvent({ chatId: SCHOOL, chatType: 'group', senderOpenId: TEACHER, text: '实训平台打不开了，全班都登不上', mentionBot: { openId: fake.botOpenId, name: '售后助手' }, messageId: t.messageId });
    expect((await deliver(again)).status).toBe(200); // same message, new event id
    expect(await app.services.store.count()).toBe(1);
    expect(fake.sent.length).toBe(sentBefore);
  });

  it('rejects a forged signature and a stale timestamp with 401, storing nothing', async () => {
    const before = await app.services.store.count();
    const e1 = messageEvent({ chatId: SCHOOL, chatType: 'p2p', senderOpenId: TEACHER, text: '服务器硬盘报警了' });
    expect((await deliver(e1, { forgeSignature: true })).status).toBe(401);
    const e2 = messageEvent({ chatId: SCHOOL, chatType: 'p2p', senderOpenId: TEACHER, text: '服务器硬盘报警了' });
    expect((await deliver(e2, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const plain = await fetch(`${url}/feishu/events?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(e1) });
    expect(plain.status).toBe(401);
    const garbage = await fetch(`${url}/feishu/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"encrypt":"not-base64!!"}' });
    expect(garbage.status).toBe(401);
    expect(await app.services.store.count()).toBe(before);
    // the same event, correctly signed, is then accepted (nothing was remembered from the forgery)
    expect((await deliver(e1)).status).toBe(200);
    expect(await app.services.store.count()).toBe(before + 1);
  });

  it('answers the URL-verification challenge', async () => {
    const { createCipheriv, createHash, randomBytes } = await import('node:crypto');
    const key = createHash('sha256').update(fake.encryptKey).digest();
    const iv = randomBytes(16);
    const c = createCipheriv('aes-256-cbc', key, iv);
    const plain = JSON.stringify({ challenge: 'ch-123', token: fake.verificationToken, type: 'url_verification' });
    const encrypt = Buffer.concat([iv, c.update(plain), c.final()]).toString('base64');
    const res = await fetch(`${url}/feishu/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ encrypt }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'ch-123' });
  });

  it('a card click by a non-staff user is refused; by staff it changes the state and patches the card; a stale card only gets a toast', async () => {
    const n = 1;
    const cardMsg = 'om_card0000000000000000000000000001';
    const click = (operator: string, v: number) => {
      const req = fake.signedEventRequest(cardActionEvent({ operatorOpenId: operator, value: { command: `接单 #${n}`, n, v }, openMessageId: cardMsg, openChatId: TEAM }));
      return fetch(`${url}/feishu/card`, { method: 'POST', headers: req.headers, body: req.body });
    };
    const refused = await click(TEACHER, 0);
    expect(refused.status).toBe(200);
    expect(JSON.stringify(await refused.json())).toContain('服务团队');
    expect((await app.services.store.get(n))!.status).toBe('open');

    const ok = await click(LEAD, 0);
    const body = (await ok.json()) as { toast: { content: string }; card?: unknown };
    expect(body.toast.content).toContain('李爽已接单');
    expect((await app.services.store.get(n))!).toMatchObject({ status: 'acknowledged', assignee: 'lishuang' });
    const patch = await waitFor(() => fake.sent.find((m) => m.kind === 'patch' && m.messageId === cardMsg));
    expect(patch.content).toContain('已接单');
    expect(fake.sent.filter((m) => m.kind === 'patch')).toHaveLength(1); // the refusal did not touch the shared card

    const stale = await click(DEPUTY, 0); // drawn before the 接单: version 0, ticket now at 1
    expect(JSON.stringify(await stale.json())).toContain('卡片已过期');
    expect((await app.services.store.get(n))!.history.filter((h) => h.action === 'ack')).toHaveLength(1);
  });

  it('a team card says each fact once and carries a reply box; 回复 typed into it reaches the teacher; a reply to the bot\'s message joins that ticket', async () => {
    await deliver(messageEvent({ chatId: SCHOOL, chatType: 'group', senderOpenId: TEACHER, text: '教师机打不开了，在3号机房', mentionBot: { openId: fake.botOpenId, name: '售后助手' } }));
    const t = (await app.services.store.byReporter('feishu', TEACHER))[0]!;
    const notice = await waitFor(() => fake.sent.find((m) => m.kind === 'create' && m.receiveId === TEAM && m.content.includes(`#${t.n}`)));
    const card = notice.content;
    expect(card.match(/报告人(\*\*)?：/g)).toHaveLength(1); // the field, not the text again
    expect(card.match(/教师机打不开了，在3号机房/g)).toHaveLength(1);
    expect(card).toContain('"tag":"form"');
    expect(card).toContain('"name":"reply_text"');

    const req = fake.signedEventRequest(cardActionEvent({ operatorOpenId: DEPUTY, value: { command: `回复 #${t.n}` }, formValue: { reply_text: '马上到，请稍等' }, openMessageId: notice.sentId!, openChatId: TEAM }));
    const res = await fetch(`${url}/feishu/card`, { method: 'POST', headers: req.headers, body: req.body });
    expect(res.status).toBe(200);
    const toTeacher = await waitFor(() => fake.sent.find((m) => m.kind === 'reply' && m.messageId === t.messageId && m.content.includes('马上到')));
    expect(textOf(toTeacher.content)).toBe(`💬 工单 #${t.n} 回复：马上到，请稍等\n—— 售后工程师 张天慧`);
    expect((await app.services.store.get(t.n))!.history.at(-1)).toMatchObject({ action: 'reply', detail: '马上到，请稍等' });

    // The teacher answers the bot's confirmation (quoting it) with something that alone would be a new fault.
    const created = fake.sent.find((m) => m.kind === 'reply' && m.messageId === t.messageId && textOf(m.content).startsWith('已收到'))!;
    await deliver(messageEvent({ chatId: SCHOOL, chatType: 'group', senderOpenId: TEACHER, text: '旁边那台学生机也黑屏了', parentId: created.sentId!, mentionBot: { openId: fake.botOpenId, name: '售后助手' } }));
    expect((await app.services.store.byReporter('feishu', TEACHER))[0]!.n).toBe(t.n); // no new ticket
    expect((await app.services.store.get(t.n))!.followUps.at(-1)!.text).toBe('旁边那台学生机也黑屏了');
  });

  it('retries a failed send and reports one that keeps failing', async () => {
    fake.failNext(1, 'code');
    await deliver(messageEvent({ chatId: 'oc_p2p_retry', chatType: 'p2p', senderOpenId: 'ou_retry', text: '投影仪坏了，没法上课' }));
    expect(fake.sent.filter((m) => m.kind === 'reply' && textOf(m.content).includes('三级故障')).length).toBeGreaterThanOrEqual(1);
    expect(fake.rejected.length).toBeGreaterThanOrEqual(1);

    const rejectedBefore = fake.rejected.length;
    fake.failNext(18, 'http500');
    const sentBefore = fake.sent.length;
    const res = await deliver(messageEvent({ chatId: 'oc_p2p_fail', chatType: 'p2p', senderOpenId: 'ou_fail', text: '打印机卡纸了，打不出来' }));
    expect(res.status).toBe(200); // the ticket is stored; the reply waits in the outbox
    // reply and team notice: sent at once (1 try + 2 quick retries), then 2 outbox attempts of the
    // same, then failed for good
    await waitFor(async () => (await app.outboxQueue.failed()).length === 2);
    expect(fake.rejected.length - rejectedBefore).toBe(2 * (3 + 2 * 3));
    expect(fake.sent.length).toBe(sentBefore);
    expect((await app.services.store.byReporter('feishu', 'ou_fail'))[0]!.level).toMatch(/L3|L4/);
    // the same message's jobs carry one Feishu uuid per message across every retry (no duplicates)
    const attempts = fake.rejected.slice(rejectedBefore);
    expect(attempts.every((r) => r.uuid)).toBe(true);
    expect(new Set(attempts.map((r) => r.uuid)).size).toBe(2);
  });
});

describe('Feishu long-connection mode', () => {
  it('takes a message over the WebSocket, makes one ticket, replies through the SDK; reminders reach staff as private cards', async () => {
    const fake = await startFakeFeishu();
    const redis = await startTestRedis();
    const { app } = await startBot(fake, redis.url, 'ws', feishuPolicy(0.002));
    try {
      await waitFor(() => fake.wsConnections() === 1);
      const event = messageEvent({ chatId: SCHOOL, chatType: 'group', senderOpenId: TEACHER, text: '服务器挂了，今天的课全停了', mentionBot: { openId: fake.botOpenId, name: '售后助手' } });
      await fake.pushEvent(event);
      await fake.pushEvent(event); // redelivery
      const reply = await waitFor(() => fake.sent.find((m) => m.kind === 'reply'));
      expect(textOf(reply.content)).toContain('一级故障');
      expect(await app.services.store.count()).toBe(1);
      // the SLA engine's escalation reaches the team lead privately as a card (3.6 s window × 5/6)
      const escalation = await waitFor(() => fake.sent.find((m) => m.kind === 'create' && m.receiveIdType === 'open_id' && m.receiveId === LEAD && m.content.includes('即将超时')), 15_000);
      expect(escalation.msgType).toBe('interactive');
      const breach = await waitFor(() => fake.sent.find((m) => m.receiveId === MANAGER && m.content.includes('已超时')), 15_000);
      expect(breach.msgType).toBe('interactive');
    } finally {
      await app.stop();
      await fake.close();
      await redis.cleanup();
    }
  });
});
