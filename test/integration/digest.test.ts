import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { startTestBot, teacher } from '../support/bot.ts';
import { startTestRedis } from '../support/redis.ts';

const BIN = fileURLToPath(new URL('../../bin/aftersales.js', import.meta.url));

describe('daily digest job', () => {
  it('posts the digest to the team group at the configured local time, and the CLI prints it', async () => {
    const redis = await startTestRedis();
    const policy = loadPolicy(undefined);
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
