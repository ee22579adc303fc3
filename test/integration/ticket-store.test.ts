import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
import { TicketStore } from '../../src/store/tickets.ts';
import { startTestRedis } from '../support/redis.ts';

describe('ticket store: changes of one ticket', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let client: Redis;
  beforeAll(async () => {
    redis = await startTestRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.cleanup();
  });

  it('thirty changes at once in one process: all land, in order, each computed once (no compare-and-set races)', async () => {
    const policy = loadPolicy(undefined);
    const store = new TicketStore(client);
    const t = newTicket({ n: 1, label: 'L1', confidence: 1, reporter: { platform: 'sim', userId: 't-1', name: '老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: '实训平台打不开了', truncated: false, attachments: [], messageId: 'm-1', now: Date.now() }, policy);
    await store.save(t);
    let calls = 0;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.change(1, (cur) => {
          calls++;
          return { next: { ...cur, text: `${cur.text}|${i}` } };
        }),
      ),
    );
    const after = (await store.get(1))!;
    expect(after.text).toBe(['实训平台打不开了', ...Array.from({ length: 30 }, (_, i) => String(i))].join('|'));
    expect(calls).toBe(30);
  });
});
