import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { digestAt } from '../../jobs/digest.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { newTicket } from '../../src/domain/intake-rules.ts';
import { apply } from '../../src/domain/lifecycle.ts';
import { latestDigestMoment } from '../../src/domain/reports/digest.ts';
import { InspectionStore } from '../../src/store/inspections.ts';
import { TicketStore } from '../../src/store/tickets.ts';
import { startTestBot, teacher } from '../support/bot.ts';
import { startTestRedis } from '../support/redis.ts';

const BIN = fileURLToPath(new URL('../../bin/aftersales.js', import.meta.url));

describe('daily digest job', () => {
  it('posts the digest to the team group at the configured local time, and the CLI prints it', async () => {
    const redis = await startTestRedis();
    const policy = loadPolicy(undefined);
    // A cold start (classifier, knowledge base: ~6 s) can outlast the 6 s margin below, and the
    // digest — as of its moment — would then precede the ticket: warm the modules first.
    await (await startTestBot(redis.url, { policy })).stop();
    policy.digest.time = DateTime.now().setZone(policy.timezone).plus({ seconds: 6 }).toFormat('HH:mm:ss');
    const bot = await startTestBot(redis.url, { policy });
    try {
      await bot.post({ chat: 'school', user: teacher, text: '@售后助手 服务器硬盘报警了', mention: true });
      const end = Date.now() + 15_000;
      let digest: string | undefined;
      while (!digest && Date.now() < end) {
        digest = (await bot.botTexts('team')).find((x) => x.startsWith('【售后日报】'));
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(digest).toContain('未完成工单（1）');
      expect(digest).toContain('#1 二级故障');
      const out = execFileSync(process.execPath, [BIN, 'digest'], { env: { ...process.env, REDIS_URL: redis.url }, encoding: 'utf8' });
      expect(out).toContain('【售后日报】');
      expect(out).toContain('#1 二级故障');
    } finally {
      await bot.stop();
      await redis.cleanup();
    }
  });
});

describe('npx aftersales digest --date', () => {
  it("prints the digest of that morning's digest.time, as the tickets stood then: the job's text for that moment", async () => {
    const redis = await startTestRedis();
    const client = new Redis(redis.url);
    const policy = loadPolicy(undefined);
    const tz = policy.timezone;
    const at = (iso: string) => DateTime.fromISO(iso, { zone: tz }).toMillis();
    const mk = (n: number, iso: string) =>
      newTicket({ n, label: 'L3', confidence: 1, reporter: { platform: 'sim', userId: 't', name: '王老师' }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text: '投影仪不亮', truncated: false, attachments: [], messageId: `m${n}`, now: at(iso) }, policy);
    try {
      const store = new TicketStore(client);
      const inspections = new InspectionStore(client);
      // #1 created Tuesday, resolved Wednesday 10:00 (after the 08:30 digest); #2 created Wednesday 09:00.
      const r = apply(mk(1, '2026-11-24T15:00:00'), { kind: 'resolve', text: '更换灯泡', parts: [] }, { kind: 'staff', id: 'zhangtianhui', name: '张天慧' }, at('2026-11-25T10:00:00'), policy);
      if (!r.ok) throw new Error(r.refusal.code);
      await store.save(r.ticket);
      await store.save(mk(2, '2026-11-25T09:00:00'));
      const out = execFileSync(process.execPath, [BIN, 'digest', '--date', '2026-11-25'], { env: { ...process.env, REDIS_URL: redis.url }, encoding: 'utf8' });
      expect(out.split('\n')[0]).toBe('【售后日报】11月24日（周二） · 截至 11月25日 08:30');
      expect(out).toContain('昨日新建 1 单');
      expect(out).toContain('昨日处理完成/关闭 0 单。');
      expect(out).toContain('未完成工单（1）：');
      expect(out).toContain('· #1 三级故障 · 未指派 · 响应已超时');
      expect(out).not.toContain('#2');
      // The scheduled job, run a little late that morning, posts the same text.
      const moment = latestDigestMoment(at('2026-11-25T08:30:04'), policy.digest.time, tz, 60_000);
      expect(moment).toBe(at('2026-11-25T08:30:00'));
      const job = await digestAt({ tickets: store, inspections }, moment, policy, { now: at('2026-11-25T08:30:04') });
      expect(`${job.text}\n`).toBe(out);
      expect(job.card.title).toBe('售后日报 · 11月24日（周二） · 截至 11月25日 08:30');
      expect(() => execFileSync(process.execPath, [BIN, 'digest', '--date', '2026-11-31'], { env: { ...process.env, REDIS_URL: redis.url }, encoding: 'utf8', stdio: 'pipe' })).toThrow();
    } finally {
      client.disconnect();
      await redis.cleanup();
    }
  });
});
