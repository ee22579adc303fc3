import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { messageEvent, startFakeFeishu } from '../support/feishu-fake.ts';
import { startTestRedis } from '../support/redis.ts';

describe('admin: failed sends', () => {
  it('lists sends that failed for good and sends them again on request, only with the admin token', async () => {
    const fake = await startFakeFeishu();
    const redis = await startTestRedis();
    const app = await createApp({
      redisUrl: redis.url,
      policy: loadPolicy(undefined),
      log: pino({ level: 'silent' }),
      adminToken: 'admin-token-0123456789',
      outboxRetry: { attempts: 2, delayMs: 20 },
      channels: { feishu: { appId: fake.appId, appSecret: fake.appSecret, encryptKey: fake.encryptKey, verificationToken: fake.verificationToken, domain: fake.url, mode: 'webhook', retry: { retries: 0, retryBaseMs: 1 } } },
    });
    const url = await app.listen(0, '127.0.0.1');
    try {
      const policy = app.services.policy;
      policy.roster = policy.roster.map((m) => (m.id === 'lishuang' ? { ...m, ids: { ...m.ids, feishu: 'ou_lead' } } : m));
      fake.failNext(2, 'http500'); // both attempts (no quick retries here)
      await app.outboxQueue.enqueue('test-reminder', [{ dest: { to: 'staff', staffId: 'lishuang' }, msg: { text: '⏰ 提醒：工单 #9 响应时限将到' } }]);
      const end = Date.now() + 10_000;
      let list: { failed: { dest: string; text: string }[] } = { failed: [] };
      while (!list.failed.length && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        list = (await (await fetch(`${url}/admin/outbox/failed`, { headers: { authorization: 'Bearer admin-token-0123456789' } })).json()) as typeof list;
      }
      expect(list.failed).toEqual([expect.objectContaining({ dest: 'staff', text: '⏰ 提醒：工单 #9 响应时限将到' })]);
      expect(fake.rejected.length).toBe(2); // tried twice
      expect((await fetch(`${url}/admin/outbox/failed`)).status).toBe(401);
      expect((await fetch(`${url}/admin/outbox/failed`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      // the platform is back: an admin queues the failed message again, and it arrives once
      expect((await fetch(`${url}/admin/outbox/retry`, { method: 'POST' })).status).toBe(401);
      const retried = (await (await fetch(`${url}/admin/outbox/retry`, { method: 'POST', headers: { authorization: 'Bearer admin-token-0123456789' } })).json()) as { retried: number };
      expect(retried.retried).toBe(1);
      const end2 = Date.now() + 10_000;
      while (!fake.sent.some((m) => m.receiveId === 'ou_lead') && Date.now() < end2) await new Promise((r) => setTimeout(r, 50));
      expect(fake.sent.filter((m) => m.receiveId === 'ou_lead' && m.content.includes('#9'))).toHaveLength(1);
      expect(await app.outboxQueue.failed()).toEqual([]);
    } finally {
      await app.stop();
      await fake.close();
      await redis.cleanup();
    }
  });
});

describe('security basics', () => {
  it('keeps secrets and message bodies out of info logs, and refuses oversized bodies', async () => {
    const fake = await startFakeFeishu();
    const redis = await startTestRedis();
    let logs = '';
    const sink = new Writable({ write(chunk, _enc, cb) { logs += chunk.toString(); cb(); } });
    const app = await createApp({
      redisUrl: redis.url,
      policy: loadPolicy(undefined),
      log: pino({ level: 'info' }, sink),
      channels: { sim: {}, feishu: { appId: fake.appId, appSecret: fake.appSecret, encryptKey: fake.encryptKey, verificationToken: fake.verificationToken, domain: fake.url, mode: 'webhook', retry: { retries: 1, retryBaseMs: 10 } } },
    });
    const url = await app.listen(0, '127.0.0.1');
    try {
      const secretText = '实训平台打不开了，全班都登不上去，管理员密码是 Hunter2-秘密';
      const req = fake.signedEventRequest(messageEvent({ chatId: 'oc_x', chatType: 'p2p', senderOpenId: 'ou_t', text: secretText }));
      expect((await fetch(`${url}/feishu/events`, { method: 'POST', headers: req.headers, body: req.body })).status).toBe(200);
      await fetch(`${url}/sim/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat: 'school', user: { id: 't-s', name: '安老师' }, text: `@售后助手 ${secretText}`, mention: true }) });
      fake.failNext(4, 'http500'); // errors get logged too: still no secrets
      const req2 = fake.signedEventRequest(messageEvent({ chatId: 'oc_y', chatType: 'p2p', senderOpenId: 'ou_u', text: secretText }));
      await fetch(`${url}/feishu/events`, { method: 'POST', headers: req2.headers, body: req2.body });
      expect(logs).toContain('ticket created');
      for (const secret of [fake.appSecret, fake.encryptKey, fake.verificationToken, 'Hunter2', '全班都登不上去', 't-fake']) expect(logs).not.toContain(secret);

      const huge = JSON.stringify({ chat: 'school', user: { id: 't-h', name: 'x' }, text: 'a'.repeat(2 * 1024 * 1024) });
      const big = await fetch(`${url}/sim/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
      expect(big.status).toBe(413);
    } finally {
      await app.stop();
      await fake.close();
      await redis.cleanup();
    }
  });
});
