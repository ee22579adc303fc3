import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/redis/embedded.ts';
import { messageEvent, startFakeFeishu, type FakeFeishu } from '../support/feishu-fake.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep, waitFor } from '../support/wait.ts';

const N = 40;

describe('Redis restarts while Feishu events keep arriving', () => {
  let fake: FakeFeishu;
  let first: Awaited<ReturnType<typeof startTestRedis>>;
  let second: EmbeddedRedis | undefined;
  let app: App;
  let url: string;

  beforeAll(async () => {
    fake = await startFakeFeishu();
    first = await startTestRedis();
    app = await createApp({
      redisUrl: first.url,
      policy: loadPolicy(undefined),
      log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      channels: { feishu: { appId: fake.appId, appSecret: fake.appSecret, encryptKey: fake.encryptKey, verificationToken: fake.verificationToken, domain: fake.url, mode: 'webhook', retry: { retries: 1, retryBaseMs: 20 } } },
      outboxRetry: { attempts: 10, delayMs: 200 },
    });
    url = await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await Promise.race([app.stop(), sleep(5000)]);
    await fake.close();
    await second?.stop();
    await first.cleanup();
  });

  it('every message is handled exactly once: answered 200, or refused with a 5xx that Feishu retries', async () => {
    const statuses: number[] = [];
    // Feishu's side: a request that fails or answers non-200 is sent again, as the platform does.
    const deliverLikeFeishu = async (event: object) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          const req = fake.signedEventRequest(event);
          const res = await fetch(`${url}/feishu/events`, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(3000) });
          statuses.push(res.status);
          if (res.status === 200) return;
        } catch {
          statuses.push(0); // timed out: Feishu retries
        }
        await sleep(250);
      }
      throw new Error('event never accepted');
    };
    const sends: Promise<void>[] = [];
    const messageIds: string[] = [];
    for (let i = 0; i < N; i++) {
      const messageId = `om_restart${String(i).padStart(4, '0')}`;
      messageIds.push(messageId);
      const event = messageEvent({ messageId, chatId: `oc_p2p_${i}`, chatType: 'p2p', senderOpenId: `ou_teacher_${i}`, text: `机房第${i + 1}台电脑蓝屏了，开不了机` });
      sends.push(deliverLikeFeishu(event));
      if (i === 10) {
        // Redis goes away under load (it flushes its AOF), and comes back on the same port 1.5 s later.
        await first.stop();
        setTimeout(() => void startEmbeddedRedis({ dir: first.dir, port: first.port }).then((r) => (second = r)), 1500);
      }
      await sleep(60);
    }
    await Promise.all(sends);
    expect(statuses.filter((s) => s >= 500).length).toBeGreaterThan(0); // the outage was felt and refused honestly
    await waitFor(() => second);
    // every message became exactly one ticket…
    expect(await app.services.store.count()).toBe(N);
    for (let i = 0; i < N; i++) expect(await app.services.store.byReporter('feishu', `ou_teacher_${i}`)).toHaveLength(1);
    // …and got exactly one reply, under its own message
    await waitFor(() => messageIds.every((id) => fake.sent.some((m) => m.kind === 'reply' && m.messageId === id)), 20_000);
    for (const id of messageIds) expect(fake.sent.filter((m) => m.kind === 'reply' && m.messageId === id)).toHaveLength(1);
  });
});
