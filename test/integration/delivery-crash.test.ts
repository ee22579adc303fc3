import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketStore } from '../../src/store/tickets.ts';
import { kill, startChildBot } from '../support/child-bot.ts';
import { messageEvent, startFakeFeishu, type FakeFeishu } from '../support/feishu-fake.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep, waitFor } from '../support/wait.ts';

/**
 * The real bot as a process, killed (kill -9) or stopped (SIGTERM, a deploy) in the middle of
 * handling messages, then started again: every message becomes one ticket with exactly one reply.
 */

const SCHOOL = 'oc_school0000000000000000000000001';
const TEAM = 'oc_team00000000000000000000000000002';
const TEACHER = 'ou_teacher000000000000000000000004';

function policyFile(): string {
  const f = join(mkdtempSync(join(tmpdir(), 'as-policy-')), 'policy.yaml');
  writeFileSync(f, `chats:\n  - {id: school, name: 实训中心教师群, role: school, ids: {sim: school, feishu: ${SCHOOL}}}\n  - {id: team, name: 售后服务群, role: team, ids: {sim: team, feishu: ${TEAM}}}\n`);
  return f;
}

describe('crash and deploy in the middle of a message', () => {
  let fake: FakeFeishu;
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let probe: Redis;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeFeishu();
    redis = await startTestRedis();
    probe = new Redis(redis.url);
    env = {
      REDIS_URL: redis.url,
      AFTERSALES_POLICY: policyFile(),
      AFTERSALES_INBOX_LEASE_MS: '1500', // a dead attempt's message is taken over after 1.5 s
      FEISHU_APP_ID: fake.appId, FEISHU_APP_SECRET: fake.appSecret, FEISHU_ENCRYPT_KEY: fake.encryptKey, FEISHU_VERIFICATION_TOKEN: fake.verificationToken,
      FEISHU_DOMAIN: fake.url, FEISHU_MODE: 'webhook', SIM_ENABLED: '1',
    };
  });
  afterAll(async () => {
    probe.disconnect();
    await fake.close();
    await redis.cleanup();
  });

  const send = async (url: string, event: object) => {
    const req = fake.signedEventRequest(event);
    return fetch(`${url}/feishu/events`, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(15_000) });
  };
  /** Feishu's side: a request that fails or answers non-200 is sent again. */
  const deliverLikeFeishu = async (url: string, event: object) => {
    for (let attempt = 0; attempt < 60; attempt++) {
      try {
        if ((await send(url, event)).status === 200) return;
      } catch {
        /* connection refused or reset: retried */
      }
      await sleep(250);
    }
    throw new Error('event never accepted');
  };
  const ticketsOf = (user: string) => new TicketStore(probe).byReporter('feishu', user);
  const repliesTo = (messageId: string) => fake.sent.filter((m) => m.kind === 'reply' && m.messageId === messageId);
  const noticesOf = (n: number) => fake.sent.filter((m) => m.kind === 'create' && m.receiveId === TEAM && m.content.includes(`新工单 #${n}`));

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`${signal} while the handler waits on a slow contact lookup: the retried event is one ticket with one reply`, async () => {
      const teacher = `${TEACHER}${signal}`;
      const messageId = `om_slow_${signal}`;
      fake.names[teacher] = '慢老师';
      fake.contactDelayMs = 2500;
      const event = messageEvent({ messageId, chatId: SCHOOL, chatType: 'group', senderOpenId: teacher, text: '实训平台打不开了，全班都登不上', mentionBot: { openId: fake.botOpenId, name: '售后助手' } });
      const a = await startChildBot(env);
      const first = send(a.url, event).then((r) => r.status, () => 0);
      await waitFor(() => fake.requests.some((r) => r.path.includes(teacher)), 10_000); // the handler waits in the lookup now
      await kill(a.proc, signal);
      const firstStatus = await first;
      // A deploy finishes what it was doing (the request in flight is answered); a crash answers nothing.
      expect(firstStatus).toBe(signal === 'SIGTERM' ? 200 : 0);
      fake.contactDelayMs = 0;
      const b = await startChildBot(env);
      try {
        await deliverLikeFeishu(b.url, event);
        const tickets = await ticketsOf(teacher);
        expect(tickets).toHaveLength(1);
        expect(repliesTo(messageId)).toHaveLength(1);
        expect(noticesOf(tickets[0]!.n)).toHaveLength(1);
      } finally {
        await kill(b.proc, 'SIGTERM');
      }
    });
  }

  it('killed after the ticket is stored and before its replies are queued: the retry sends them, once', async () => {
    const teacher = `${TEACHER}fault`;
    const messageId = 'om_fault_after_commit';
    const event = messageEvent({ messageId, chatId: SCHOOL, chatType: 'group', senderOpenId: teacher, text: '服务器机柜温度报警了', mentionBot: { openId: fake.botOpenId, name: '售后助手' } });
    const a = await startChildBot({ ...env, AFTERSALES_TEST_FAULT: 'kill-after-commit' });
    expect(await send(a.url, event).then((r) => r.status, () => 0)).toBe(0);
    await new Promise((r) => (a.proc.exitCode !== null || a.proc.signalCode !== null ? r(null) : a.proc.once('exit', r)));
    expect(await ticketsOf(teacher)).toHaveLength(1); // stored before the crash
    expect(repliesTo(messageId)).toHaveLength(0);
    const b = await startChildBot(env);
    try {
      await deliverLikeFeishu(b.url, event);
      const [t] = await ticketsOf(teacher);
      await waitFor(() => repliesTo(messageId).length === 1 && noticesOf(t!.n).length === 1);
      await sleep(500);
      expect(repliesTo(messageId)).toHaveLength(1);
      expect(noticesOf(t!.n)).toHaveLength(1);
      expect(await ticketsOf(teacher)).toHaveLength(1);
    } finally {
      await kill(b.proc, 'SIGTERM');
    }
  });

  it('killed after storing a simulator report (which nobody retries): the restarted bot sends its reply anyway, once', async () => {
    const a = await startChildBot({ ...env, AFTERSALES_TEST_FAULT: 'kill-after-commit' });
    const post = await fetch(`${a.url}/sim/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat: 'school', user: { id: 't-orphan', name: '孤老师' }, text: '@售后助手 投影仪坏了，没法上课', mention: true }) }).then((r) => r.status, () => 0);
    expect(post).toBe(0);
    await new Promise((r) => (a.proc.exitCode !== null || a.proc.signalCode !== null ? r(null) : a.proc.once('exit', r)));
    const [t] = await new TicketStore(probe).byReporter('sim', 't-orphan');
    expect(t).toBeDefined();
    const b = await startChildBot(env);
    try {
      const texts = async (chat: string) => ((await (await fetch(`${b.url}/sim/messages?chat=${chat}`)).json()) as { messages: { from: { id: string }; text: string; replyTo?: string }[] }).messages.filter((m) => m.from.id === 'bot');
      await waitFor(async () => (await texts('school')).some((m) => m.replyTo === t!.messageId), 10_000);
      await waitFor(async () => (await texts('team')).some((m) => m.text.includes(`新工单 #${t!.n}`)), 10_000);
      await sleep(500);
      expect((await texts('school')).filter((m) => m.replyTo === t!.messageId)).toHaveLength(1);
      expect((await texts('team')).filter((m) => m.text.includes(`新工单 #${t!.n}`))).toHaveLength(1);
    } finally {
      await kill(b.proc, 'SIGTERM');
    }
  });

  it('SIGTERM during 200 simulator reports: every 201 has its ticket and exactly one reply', async () => {
    const a = await startChildBot(env);
    const results: { i: number; status: number; id?: string }[] = [];
    let next = 0;
    let stopped = false;
    const worker = async () => {
      while (next < 200) {
        const i = next++;
        if (i === 60 && !stopped) {
          stopped = true;
          a.proc.kill('SIGTERM'); // a deploy, under load
        }
        try {
          const r = await fetch(`${a.url}/sim/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat: 'school', user: { id: `t-load-${i}`, name: `老师${i}` }, text: `@售后助手 机房第${i}台电脑蓝屏了，开不了机`, mention: true }) });
          results.push({ i, status: r.status, ...(r.status === 201 ? { id: ((await r.json()) as { id: string }).id } : {}) });
        } catch {
          results.push({ i, status: 0 });
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    await new Promise((r) => (a.proc.exitCode !== null ? r(null) : a.proc.once('exit', r)));
    expect(a.proc.exitCode).toBe(0);
    const accepted = results.filter((r) => r.status === 201);
    expect(accepted.length).toBeGreaterThan(40);
    expect(results.every((r) => [201, 503, 0].includes(r.status))).toBe(true);
    const history = (await probe.lrange('as:sim:chat:school', 0, -1)).map((x) => JSON.parse(x) as { from: { id: string }; replyTo?: string });
    const store = new TicketStore(probe);
    for (const r of accepted) {
      expect(await store.byReporter('sim', `t-load-${r.i}`), `ticket of report ${r.i}`).toHaveLength(1);
      expect(history.filter((m) => m.from.id === 'bot' && m.replyTo === r.id), `replies to ${r.id}`).toHaveLength(1);
    }
  });
});
