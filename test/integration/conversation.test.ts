import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { TestClock } from '../support/clock.ts';
import { startTestRedis } from '../support/redis.ts';

// A school conversation as teachers and engineers live it, on a clock the test moves.
const policy = loadPolicy(undefined);
const lead = { id: 'lishuang', name: '李爽' };
const deputy = { id: 'zhangtianhui', name: '张天慧' };
const min = 60_000;
const clock = new TestClock(Date.parse('2026-12-01T01:00:00Z')); // 09:00 in Shanghai

describe('the conversation, as the teacher and the engineers see it', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let bot: TestBot;
  const store = () => bot.app.services.store;
  /** The bot's lines in a chat about ticket n, after its creation reply. */
  const about = async (chat: string, n: number) => (await bot.messages(chat)).filter((m) => m.from.id === 'bot' && m.text.includes(`#${n}`));
  const report = async (user: { id: string; name: string }, text: string) => {
    const r = await bot.post({ chat: 'school', user, text: `@售后助手 ${text}`, mention: true });
    expect(r.status).toBe(201);
    return (await store().byReporter('sim', user.id))[0]!;
  };
  const team = (user: { id: string; name: string }, text: string) => bot.post({ chat: 'team', user, text });

  beforeAll(async () => {
    redis = await startTestRedis();
    bot = await startTestBot(redis.url, { policy, now: clock.now });
  });
  afterAll(async () => {
    await bot.stop();
    await redis.cleanup();
  });

  it('the teacher reads one short line for 接单, 上门, the missed arrival, 到场 and 已解决, in order, and nothing internal', async () => {
    const t = await report({ id: 't-zhao', name: '赵老师' }, '302机房投影仪不亮了，上课要用');
    await team(lead, `接单 #${t.n}`);
    await team(lead, `上门 #${t.n} 张天慧`);
    expect((await store().get(t.n))!.assignee).toBe('zhangtianhui'); // the one who goes, not the dispatcher
    await clock.advance(bot.app, 2 * 60 * min + min); // nobody arrived within 2 h
    await team(deputy, `到了 #${t.n}`);
    await team(deputy, `修好了 #${t.n} 重启了投影仪，恢复正常`);

    const lines = (await about('school', t.n)).map((m) => m.text);
    expect(lines[0]).toMatch(new RegExp(`^已收到，已为您创建工单 #${t.n}`));
    expect(lines.slice(1, 5)).toEqual([
      `工单 #${t.n}：李爽已接单，正在处理。`,
      expect.stringMatching(new RegExp(`^工单 #${t.n}：已安排张天慧上门，预计 (今天 )?11:0\\d前到场。$`)),
      `工单 #${t.n}：到场已超时，已通知组长李爽跟进。`,
      `工单 #${t.n}：张天慧已到场处理。`,
    ]);
    const done = lines[5]!;
    expect(done.split('\n')[0]).toBe(`✅ 工单 #${t.n} 已处理完成`);
    expect(done).toContain('处理：重启了投影仪，恢复正常'); // the full-width comma as written
    expect(done).toContain(`确认 #${t.n}`);
    expect(done.split('\n').length).toBeLessThanOrEqual(8);
    expect(lines).toHaveLength(6); // once each: no repeats of the breach, no staff notices
    for (const l of lines) expect(l).not.toMatch(/置信度|zhangtianhui|lishuang|job|version/i);
    // Each line answers the teacher's report.
    for (const m of (await bot.messages('school')).filter((m) => m.from.id === 'bot' && m.text.startsWith(`工单 #${t.n}：`))) expect((m as { replyTo?: string }).replyTo).toBe(t.messageId);
    expect((await store().get(t.n))!.resolution!.text).toBe('重启了投影仪，恢复正常');
  });

  it('回复 #N from staff reaches the reporter under their report, signed, and is kept; from a teacher it is refused', async () => {
    const teacherQ = { id: 't-qian', name: '钱老师' };
    const t = await report(teacherQ, '教师机开不了机');
    await team(deputy, `回复 #${t.n} 已带备件出发，预计10点到`);
    const said = (await bot.messages('school')).filter((m) => m.from.id === 'bot').at(-1)!;
    expect(said.text).toBe(`💬 工单 #${t.n} 回复：已带备件出发，预计10点到\n—— 售后工程师 张天慧`);
    expect((said as { replyTo?: string }).replyTo).toBe(t.messageId);
    expect((await bot.botTexts('team')).at(-1)).toBe(`已转告钱老师（工单 #${t.n}），并记入工单记录。`);
    const stored = (await store().get(t.n))!;
    expect(stored.history.at(-1)).toMatchObject({ action: 'reply', detail: '已带备件出发，预计10点到', by: { id: 'zhangtianhui' } });
    expect(stored.status).toBe('open'); // talking is not a step

    await bot.post({ chat: 'school', user: teacherQ, text: `回复 #${t.n} 我自己来回复` });
    expect((await bot.botTexts('school')).at(-1)).toContain('是售后服务团队的命令');
    expect((await store().get(t.n))!.history.filter((h) => h.action === 'reply')).toHaveLength(1);
  });

  it('a follow-up naming #N after the window lands in ticket N and 查询 #N shows it with its time and text', async () => {
    const teacherS = { id: 't-sun', name: '孙老师' };
    const t = await report(teacherS, '财务软件登录报错');
    await clock.advance(bot.app, 20 * min);
    await bot.post({ chat: 'school', user: teacherS, text: `@售后助手 #${t.n} 报错代码是E1024，截图在群里`, mention: true });
    const after = (await store().get(t.n))!;
    expect(after.followUps.map((f) => f.text)).toEqual([`#${t.n} 报错代码是E1024，截图在群里`]);
    expect((await store().byReporter('sim', teacherS.id)).map((x) => x.n)).toEqual([t.n]); // no new ticket
    expect((await bot.botTexts('school')).at(-1)).toContain(`已补充到工单 #${t.n}`);
    await bot.post({ chat: 'school', user: teacherS, text: `查询 #${t.n}` });
    expect((await bot.botTexts('school')).at(-1)).toMatch(new RegExp(`\\d\\d:\\d\\d 孙老师 补充：#${t.n} 报错代码是E1024，截图在群里`));
    expect((await bot.botTexts('school')).at(-1)).not.toContain('置信度'); // internal
  });

  it('a follow-up that replies to the ticket message is added too, and a resolved ticket re-opens (staff told)', async () => {
    const teacherL = { id: 't-li', name: '李老师' };
    const t = await report(teacherL, '打印机卡纸了');
    await team(lead, `已解决 #${t.n} 清理了卡纸`);
    await clock.advance(bot.app, 60 * min);
    const r = await bot.post({ chat: 'school', user: teacherL, text: '@售后助手 又卡住了', mention: true, replyTo: t.messageId });
    expect(r.status).toBe(201);
    const after = (await store().get(t.n))!;
    expect(after.status).toBe('open');
    expect(after.followUps.at(-1)!.text).toBe('又卡住了');
    expect((await bot.botTexts('school')).at(-1)).toContain(`工单 #${t.n} 已重新打开`);
    expect((await bot.botTexts('team')).at(-1)).toContain('重新打开');
  });

  it('谢谢 gets 不客气 and 好的 gets nothing, never the introduction; a teacher typing 修好了 is not refused', async () => {
    const teacherZ = { id: 't-zhou', name: '周老师' };
    const before = (await bot.botTexts('school')).length;
    await bot.post({ chat: 'school', user: teacherZ, text: '@售后助手 谢谢老师，辛苦了！', mention: true });
    await bot.post({ chat: 'school', user: teacherZ, text: '@售后助手 好的', mention: true });
    await bot.post({ chat: 'school', user: teacherZ, text: '收到' });
    const said = (await bot.botTexts('school')).slice(before);
    expect(said).toEqual(['不客气！有问题随时 @我。']);
    await bot.post({ chat: 'school', user: teacherZ, text: '修好了 谢谢' });
    expect((await bot.botTexts('school')).slice(before).join('\n')).not.toMatch(/服务团队的命令|我是售后助手/);
  });

  it('staff spellings: 解决 without 已, 改级 with a reason (told to the reporter), #N without a command gets the commands', async () => {
    const teacherW = { id: 't-wu', name: '吴老师' };
    const t = await report(teacherW, '一台学生机蓝屏');
    await team(lead, `改级 #${t.n} 二级 影响全部学生`);
    const stored = (await store().get(t.n))!;
    expect(stored.level).toBe('L2');
    expect(stored.history.at(-1)).toMatchObject({ action: 'level', detail: '影响全部学生' });
    expect((await about('school', t.n)).at(-1)!.text).toMatch(new RegExp(`^工单 #${t.n}：级别已由.+调整为二级故障（原因：影响全部学生）。`));

    const count = (await store().byReporter('sim', lead.id)).length;
    await team(lead, `#${t.n} 现在什么情况`);
    const hint = (await bot.botTexts('team')).at(-1)!;
    expect(hint).toContain(`工单 #${t.n}（待接单）可用命令`);
    expect(hint).toContain(`「接单 #${t.n}」`);
    expect(hint).not.toContain('我是售后助手');
    expect((await store().byReporter('sim', lead.id)).length).toBe(count);

    await team(lead, `解决 #${t.n} 重装了系统`);
    expect((await store().get(t.n))!.status).toBe('resolved');
  });
});
