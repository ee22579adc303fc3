import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep, waitFor } from '../support/wait.ts';

describe('storm summaries', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let app: App;
  beforeAll(async () => {
    redis = await startTestRedis();
    const policy = loadPolicy(undefined);
    policy.storm = { tickets: 0, window: 300_000, summaryEvery: 300 }; // every ticket folded into a summary
    app = await createApp({ redisUrl: redis.url, policy, log: pino({ level: 'silent' }), channels: { sim: {} } });
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app.stop();
    await redis.cleanup();
  });

  const summaries = async () => ((await (app.channel('sim') as unknown as { history(chat: string): Promise<{ from: { id: string }; text: string }[]> }).history('team')).filter((m) => m.from.id === 'bot' && m.text.includes('新工单激增')).map((m) => m.text));

  it('a ticket counted for the summary but stored only after the summary ran is told of in the next one, not lost', async () => {
    const p = app.services.policy;
    const t = newTicket({ n: 77, label: 'L1', confidence: 1, reporter: { platform: 'sim', userId: 't-late', name: '晚老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: '实训平台打不开了', truncated: false, attachments: [], messageId: 'late-1', now: Date.now() }, p);
    expect(await app.services.storm.admit(t, Date.now())).toBe('summary');
    await sleep(900); // the summary's moment passes while the ticket is still being stored
    expect((await summaries()).filter((x) => x.includes('#77'))).toEqual([]);
    await app.services.store.save(t);
    const told = await waitFor(async () => (await summaries()).find((x) => x.includes('#77')), 5_000);
    expect(told).toContain('又新建 1 单');
    await sleep(900);
    expect((await summaries()).filter((x) => x.includes('#77'))).toHaveLength(1);
  });
});
