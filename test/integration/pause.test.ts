import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumeJobId } from '../../jobs/sla-timers.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { scalePolicy } from '../../src/domain/contract/policy.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { TestClock } from '../support/clock.ts';
import { startTestRedis } from '../support/redis.ts';
import { sleep, waitFor } from '../support/wait.ts';

// Pausing the clocks with the reporter's consent, through the simulator, on a clock the test moves.
const policy = loadPolicy(undefined);
const lead = { id: 'lishuang', name: '李爽' };
const teacher = { id: 't-pause', name: '停老师' };
const min = 60_000;
const clock = new TestClock(Date.parse('2026-12-01T01:00:00Z')); // 09:00 in Shanghai

describe('pausing the clocks (挂起 / 同意 / 不同意 / 恢复)', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let bot: TestBot;
  const store = () => bot.app.services.store;
  const team = (text: string) => bot.post({ chat: 'team', user: lead, text });
  const asTeacher = (text: string) => bot.post({ chat: `p2p:${teacher.id}`, user: teacher, text });
  const teacherSaw = async () => (await bot.botTexts(`p2p:${teacher.id}`)).at(-1)!;
  /** Arrival reminders (the first step, at 2/3 of the window) the lead got about ticket n. */
  const reminders = async (n: number) => (await bot.botTexts('p2p:lishuang')).filter((x) => x.includes(`#${n}`) && x.includes('到场'));

  beforeAll(async () => {
    redis = await startTestRedis();
    bot = await startTestBot(redis.url, { policy, now: clock.now });
  });
  afterAll(async () => {
    await bot.stop();
    await redis.cleanup();
  });

  it('an L3 ticket on site, paused with the reporter\'s consent for 80 minutes: no reminder while paused, deadlines moved by exactly the pause, the reminder at the new 2/3 point', async () => {
    await asTeacher('302机房一排电脑都登录不了');
    const t0 = (await store().byReporter('sim', teacher.id))[0]!;
    expect(t0.level).toBe('L3');
    await clock.advance(bot.app, 5 * min);
    await team(`上门 #${t0.n}`);
    const dispatched = (await store().get(t0.n))!;
    const arrivalDue = dispatched.clocks.arrival!.dueAt;
    const resolutionDue = dispatched.clocks.resolution!.dueAt;

    // A teacher cannot pause.
    await asTeacher(`挂起 #${t0.n} 等待备件`);
    expect(await teacherSaw()).toContain('是售后服务团队的命令');

    // Asked and declined: nothing changes.
    await clock.advance(bot.app, 5 * min);
    await team(`挂起 #${t0.n} 等待备件`);
    expect(await teacherSaw()).toBe(`工程师申请暂停计时：等待备件。同意请回复「同意 #${t0.n}」，不同意请回复「不同意 #${t0.n}」。暂停期间时限不计，恢复后顺延。`);
    expect((await store().get(t0.n))!.clocks.arrival!.pausedAt).toBeUndefined(); // asking stops nothing
    await asTeacher(`不同意 #${t0.n}`);
    const declined = (await store().get(t0.n))!;
    expect([declined.pause, declined.clocks.arrival!.dueAt, declined.clocks.resolution!.dueAt]).toEqual([undefined, arrivalDue, resolutionDue]);

    // Asked again and agreed: paused from 09:20 to 10:40, across the arrival reminder (10:25).
    await clock.advance(bot.app, 10 * min);
    await team(`挂起 #${t0.n} 等待学校开门`);
    await asTeacher(`同意 #${t0.n}`);
    const pausedAt = clock.now();
    expect((await store().get(t0.n))!.clocks.arrival!.pausedAt).toBe(pausedAt);
    await clock.advance(bot.app, 80 * min);
    expect(await reminders(t0.n)).toEqual([]); // nothing while paused
    await team(`恢复 #${t0.n}`);
    const resumed = (await store().get(t0.n))!;
    expect(resumed.clocks.arrival!.dueAt - arrivalDue).toBe(80 * min);
    expect(resumed.clocks.resolution!.dueAt - resolutionDue).toBe(80 * min);
    expect(resumed.pauses).toEqual([expect.objectContaining({ reason: '等待学校开门', credited: 80 * min })]);

    // The arrival reminder comes once, at 2/3 of the moved window (dispatch 09:05 → due 12:25: 11:18:20).
    const start = resumed.clocks.arrival!.startedAt;
    const twoThirds = start + Math.round(((resumed.clocks.arrival!.dueAt - start) * 2) / 3);
    await clock.advance(bot.app, twoThirds - clock.now() - min);
    expect(await reminders(t0.n)).toEqual([]);
    await clock.advance(bot.app, 2 * min);
    expect(await reminders(t0.n)).toHaveLength(1);

    // 查询 shows the pause; the compliance report lists it.
    await team(`查询 #${t0.n}`);
    expect((await bot.botTexts('team')).at(-1)).toMatch(/至 .* 暂停 1小时20分钟（等待学校开门，李爽）/);
  });

  it('a resume time that does not exist is refused; one that does ends the pause by itself, even when its timer was lost', async () => {
    const other = { id: 't-pause2', name: '候老师' };
    const say = (text: string) => bot.post({ chat: `p2p:${other.id}`, user: other, text });
    await say('图书馆的打印机卡纸了，打不出来');
    const t0 = (await store().byReporter('sim', other.id))[0]!;
    await team(`上门 #${t0.n}`);
    const lastTeam = async () => (await bot.botTexts('team')).at(-1)!;

    await team(`挂起 #${t0.n} 等待备件 2月30日 8:00`);
    expect(await lastTeam()).toContain('恢复时间看不懂');
    await team(`挂起 #${t0.n} 明天8:00`);
    expect(await lastTeam()).toContain('用法：挂起 #N 原因');
    expect((await store().get(t0.n))!.pause).toBeUndefined();

    // Two hours from now, local time: the pause ends then by itself.
    const end = DateTime.fromMillis(clock.now(), { zone: 'Asia/Shanghai' }).plus({ hours: 2 }).startOf('minute');
    await team(`挂起 #${t0.n} 等待第三方 ${end.toFormat('H:mm')}`);
    await say(`同意 #${t0.n}`);
    const paused = (await store().get(t0.n))!;
    expect(paused.pause).toMatchObject({ state: 'active', until: end.toMillis() });
    const arrivalDue = paused.clocks.arrival!.dueAt;

    // The resume job is lost (a crash between the write and the job): the sweeper puts it back.
    const id = resumeJobId(t0.n, paused.pause!.since!);
    await bot.app.timers.queue.remove(id);
    expect(await bot.app.timers.queue.getJob(id)).toBeUndefined();
    expect(await bot.app.timers.sweep()).toBeGreaterThanOrEqual(1);
    expect(await bot.app.timers.queue.getJob(id)).toBeDefined();

    await clock.advance(bot.app, end.toMillis() - clock.now() + min, 10 * min);
    const resumed = (await store().get(t0.n))!;
    expect(resumed.pause).toBeUndefined();
    const credited = end.toMillis() - paused.pause!.since!;
    expect(resumed.pauses).toEqual([expect.objectContaining({ reason: '等待第三方', credited })]);
    expect(resumed.clocks.arrival!.dueAt - arrivalDue).toBe(credited);
    expect((await bot.botTexts(`p2p:${other.id}`)).at(-1)).toMatch(new RegExp(`^工单 #${t0.n} 已恢复计时（暂停 .*），时限顺延至 `));
    expect(resumed.history.at(-1)).toMatchObject({ action: 'resume', detail: 'time' });
  });
});

describe('pausing in real time, time-scaled (AFTERSALES_TIME_SCALE)', () => {
  // 1/600: the L3 on-site windows (2 h to arrive, 4 h to fix) become 12 s and 24 s; a 30-minute pause 3 s.
  const scale = 1 / 600;
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let bot: TestBot;
  beforeAll(async () => {
    redis = await startTestRedis();
    bot = await startTestBot(redis.url, { policy: scalePolicy(loadPolicy(undefined), scale) });
  });
  afterAll(async () => {
    await bot.stop();
    await redis.cleanup();
  });

  it('an L3 ticket paused for 30 (scaled) minutes with consent: deadlines moved by the pause, no reminder while paused, the arrival reminder at the new 2/3 point', async () => {
    const who = { id: 't-rt', name: '实老师' };
    const store = bot.app.services.store;
    await bot.post({ chat: `p2p:${who.id}`, user: who, text: '三楼教室的一体机触摸失灵了' });
    const n = (await store.byReporter('sim', who.id))[0]!.n;
    await bot.post({ chat: 'team', user: lead, text: `上门 #${n}` });
    const dispatched = (await store.get(n))!;
    await bot.post({ chat: 'team', user: lead, text: `挂起 #${n} 等待备件` });
    await bot.post({ chat: `p2p:${who.id}`, user: who, text: `同意 #${n}` });
    const since = (await store.get(n))!.pause!.since!;
    await sleep(30 * min * scale);
    await bot.post({ chat: 'team', user: lead, text: `恢复 #${n}` });
    const resumed = (await store.get(n))!;
    const paused = resumed.pauses![0]!;
    expect(paused.credited).toBe(paused.to - since);
    expect(paused.credited).toBeGreaterThanOrEqual(30 * min * scale);
    expect(resumed.clocks.resolution!.dueAt - dispatched.clocks.resolution!.dueAt).toBe(paused.credited);
    expect(resumed.clocks.arrival!.dueAt - dispatched.clocks.arrival!.dueAt).toBe(paused.credited);

    const arrival = resumed.clocks.arrival!;
    const twoThirds = arrival.startedAt + Math.round(((arrival.dueAt - arrival.startedAt) * 2) / 3);
    const reminders = async () => (await bot.messages('p2p:lishuang')).filter((m) => m.text.includes(`#${n}`) && m.text.includes('到场'));
    await waitFor(async () => (await reminders()).length > 0, 20_000);
    const got = await reminders();
    expect(got).toHaveLength(1);
    expect(got[0]!.ts).toBeGreaterThanOrEqual(twoThirds); // at the moved point, never inside the pause
    expect(got.every((m) => m.ts < since || m.ts > paused.to)).toBe(true);
  }, 40_000);
});

