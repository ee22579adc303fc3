import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { SimChannel } from '../../src/channels/simulator/sim-channel.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { seedDemo } from '../../src/demo-data.ts';
import { startTestRedis } from '../support/redis.ts';

const BIN = fileURLToPath(new URL('../../bin/aftersales.js', import.meta.url));

describe('compliance report, service report pages and demo data', () => {
  it('seeds a month, prints the report in md/csv/html and the digest, and guards /reports/<N>', async () => {
    const redis = await startTestRedis();
    const policy = loadPolicy(undefined);
    const app = await createApp({ redisUrl: redis.url, policy, log: pino({ level: 'silent' }), channels: { sim: {} }, adminToken: 'admin-token-0123456789', publicUrl: 'http://bot.example' });
    const url = await app.listen(0, '127.0.0.1');
    try {
      const seeded = await seedDemo(app.services.store, policy, Date.now());
      expect(seeded.length).toBeGreaterThan(40);
      expect(seeded.some((t) => t.clocks.response?.outcome === 'breached')).toBe(true);
      expect(seeded.some((t) => t.rating)).toBe(true);
      const env = { ...process.env, REDIS_URL: redis.url };
      const run = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
      const from = DateTime.now().setZone(policy.timezone).minus({ days: 40 }).toISODate()!;
      const to = DateTime.now().setZone(policy.timezone).toISODate()!;
      const md = run('report', '--from', from, '--to', to);
      expect(md).toContain('售后服务合规报告');
      for (const clause of ['电话支持响应 · 一级故障', '现场响应 · 到达现场', '现场响应 · 解决问题', '现场响应 · 备用系统', '服务报告用户签字', '工程师达成情况', '李爽'])
        expect(md).toContain(clause);
      expect(md).toMatch(/\| 电话支持响应 · 一级故障 \| 30分钟内响应 \| \d+ \| \d+ \| [\d.]+% \|/);
      const csv = run('report', '--from', from, '--to', to, '--format', 'csv');
      expect(csv.startsWith('\uFEFF"条款","承诺"')).toBe(true);
      const html = run('report', '--from', from, '--to', to, '--format', 'html');
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toContain('@page{size:A4');
      expect(run('digest')).toContain('【售后日报】');
      expect(() => run('report', '--from', 'yesterday', '--to', to)).toThrow();

      const done = seeded.find((t) => t.status === 'confirmed' && t.resolution)!;
      const page = await fetch(`${url}/reports/${done.n}?t=${done.reportToken}`);
      expect(page.status).toBe(200);
      const body = await page.text();
      expect(body).toContain('售后服务报告');
      expect(body).toContain(done.resolution!.text);
      expect(body).toContain(done.signoff!.name);
      expect((await fetch(`${url}/reports/${done.n}`)).status).toBe(404);
      expect((await fetch(`${url}/reports/${done.n}?t=wrong`)).status).toBe(404);
      expect((await fetch(`${url}/reports/${done.n}`, { headers: { authorization: 'Bearer admin-token-0123456789' } })).status).toBe(200);
    } finally {
      await app.stop();
      await redis.cleanup();
    }
  });

  it('the sign-off message links the printable report', async () => {
    const redis = await startTestRedis();
    const app = await createApp({ redisUrl: redis.url, policy: loadPolicy(undefined), log: pino({ level: 'silent' }), channels: { sim: {} }, publicUrl: 'http://bot.example' });
    try {
      const sim = app.channel('sim') as SimChannel;
      await sim.post({ chat: 'school', user: { id: 't-r', name: '报老师' }, text: '@售后助手 投影仪坏了，没法上课', mention: true });
      await sim.post({ chat: 'team', user: { id: 'lishuang', name: '李爽' }, text: '已解决 #1 更换灯泡', mention: false });
      const t = (await app.services.store.get(1))!;
      const texts = (await sim.history('school')).map((m) => m.text);
      expect(texts.at(-1)).toContain(`http://bot.example/reports/1?t=${t.reportToken}`);
      expect(t.reportToken).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await app.stop();
      await redis.cleanup();
    }
  });
});
