import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { nextHealth } from '../../src/domain/health.ts';
import { freePort } from '../../src/redis/free-port.ts';
import { startTestBot } from '../support/bot.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep } from '../support/wait.ts';


describe('proactive health checks', () => {
  it('count failures and open one ticket per outage (pure)', () => {
    let s = { failures: 0 } as Parameters<typeof nextHealth>[0];
    const actions: string[] = [];
    for (const [ok, t] of [[false, 1], [false, 2], [false, 3], [false, 4], [true, 5], [false, 6]] as const) {
      const r = nextHealth(s, ok, t, 3);
      if (r.action.kind === 'open') r.state.ticket = 9;
      actions.push(r.action.kind);
      s = r.state;
    }
    expect(actions).toEqual(['none', 'none', 'open', 'none', 'recovered', 'none']);
  });

  it('a check on a closed local port opens exactly one L1 ticket after 3 failures and notes the recovery', async () => {
    const redis = await startTestRedis();
    const port = await freePort();
    const policy = loadPolicy(undefined);
    policy.health = { every: 250, failures: 3, checks: [{ name: '实训平台数据库', tcp: `127.0.0.1:${port}` }] };
    const bot = await startTestBot(redis.url, { policy });
    try {
      const end = Date.now() + 15_000;
      while ((await bot.app.services.store.count()) === 0 && Date.now() < end) await sleep(100);
      await sleep(1200); // several more failed probes: still one ticket
      expect(await bot.app.services.store.count()).toBe(1);
      const t = (await bot.app.services.store.get(1))!;
      expect(t).toMatchObject({ level: 'L1', reporter: { userId: 'monitor', name: '系统监控' } });
      expect(t.text).toContain('监控发现：实训平台数据库');
      expect(t.text).toContain('连续 3 次');
      expect((await bot.botTexts('team')).some((x) => x.includes('【新工单 #1】一级故障'))).toBe(true);

      const server = createServer((s) => s.end()).listen(port, '127.0.0.1');
      try {
        const end2 = Date.now() + 15_000;
        while (!(await bot.app.services.store.get(1))!.history.some((h) => h.detail?.includes('监控恢复')) && Date.now() < end2) await sleep(100);
        expect((await bot.app.services.store.get(1))!.history.at(-1)!.detail).toMatch(/监控恢复：实训平台数据库 已恢复，停机约/);
        await sleep(800);
        expect((await bot.botTexts('team')).filter((x) => x.startsWith('✅ 监控恢复'))).toHaveLength(1);
        expect(await bot.app.services.store.count()).toBe(1);
      } finally {
        server.close();
      }
    } finally {
      await bot.stop();
      await redis.cleanup();
    }
  });
});
