import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestBot, teacher } from '../support/bot.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep } from '../support/wait.ts';


describe('restart survival', () => {
  it('keeps tickets and numbering across a restart of the bot and of its Redis (AOF)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'as-restart-'));
    try {
      let redis = await startTestRedis(dir);
      let bot = await startTestBot(redis.url);
      await bot.post({ chat: 'school', user: teacher, text: '@售后助手 实训平台打不开了，全班都登不上去', mention: true });
      await bot.post({ chat: 'school', user: { id: 't-2', name: '二老师' }, text: '@售后助手 服务器硬盘报警了', mention: true });
      await bot.stop();
      await redis.stop(); // graceful: SIGTERM
      redis = await startTestRedis(dir);
      bot = await startTestBot(redis.url);
      expect((await bot.app.services.store.get(1))!.text).toBe('实训平台打不开了，全班都登不上去');
      expect((await bot.app.services.store.get(2))!.level).toBe('L2');
      expect((await bot.messages('school')).length).toBe(4); // the simulator's history too
      await bot.post({ chat: 'school', user: { id: 't-3', name: '三老师' }, text: '@售后助手 投影仪坏了，没法上课', mention: true });
      expect((await bot.botTexts('school')).at(-1)).toContain('#3');

      // Redis killed outright: AOF with fsync every second keeps what was written a second before.
      await sleep(1500);
      await bot.stop();
      redis.process.kill('SIGKILL');
      await new Promise((r) => redis.process.once('exit', r));
      redis = await startTestRedis(dir);
      bot = await startTestBot(redis.url);
      expect(await bot.app.services.store.count()).toBe(3);
      await bot.post({ chat: 'school', user: { id: 't-4', name: '四老师' }, text: '@售后助手 一排电脑都登录不了', mention: true });
      expect((await bot.botTexts('school')).at(-1)).toContain('#4');
      await bot.stop();
      await redis.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
