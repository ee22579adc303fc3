import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpText } from '../handlers/commands/help.ts';
import { commandTable, TABLE_END, TABLE_START } from '../handlers/commands/readme-table.ts';
import { COMMANDS } from '../handlers/commands/registry.ts';
import { CommandSet } from '../handlers/commands/run.ts';
import { startTestBot, type TestBot } from './support/bot.ts';
import { startTestRedis } from './support/redis.ts';
import toy from './support/toy-command.ts';

describe('the command registry', () => {
  it("is the README's command table", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END) + TABLE_END.length);
    expect(table).toBe(commandTable(COMMANDS)); // run `npm run readme:commands` after changing a command
  });

  it('gives every word to one command, and every command a help line or a README row', () => {
    const words = COMMANDS.flatMap((c) => [...c.words, ...c.aliases].map((w) => w.normalize('NFKC').toLowerCase()));
    expect(new Set(words).size).toBe(words.length);
    for (const c of COMMANDS) {
      expect(c.help.usage.startsWith(c.words[0]!)).toBe(true);
      expect(c.help.readme.text.length).toBeGreaterThan(5);
      for (const a of c.aliases) expect(a).toMatch(/^\/[a-z]+$/);
    }
    const set = new CommandSet(COMMANDS);
    for (const c of COMMANDS) for (const w of [...c.words, ...c.aliases]) expect(set.parse(`${w} #3`)).toMatchObject({ name: c.name, n: 3 });
  });

  it('lists in 帮助 exactly the commands with a help line for that audience', () => {
    const staff = helpText(COMMANDS, 'staff', '售后助手', '123');
    const teacher = helpText(COMMANDS, 'teacher', '售后助手', '123');
    for (const c of COMMANDS) {
      expect(staff.includes(`· ${c.help.usage} ——`)).toBe(!!c.help.staff);
      expect(teacher.includes(`· ${c.help.usage} ——`)).toBe(!!c.help.teacher);
    }
  });
});

describe('adding a command: one file and one registry line', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let bot: TestBot;
  const registry = [...COMMANDS, toy];

  beforeAll(async () => {
    redis = await startTestRedis();
    bot = await startTestBot(redis.url, { commands: registry });
  });
  afterAll(async () => {
    await bot.stop();
    await redis.cleanup();
  });

  it('is parsed, checked for staff, listed in 帮助 and in the README table', async () => {
    await bot.post({ chat: 'p2p:lishuang', user: { id: 'lishuang', name: '李爽' }, text: '连通测试 #7' });
    expect((await bot.botTexts('p2p:lishuang')).at(-1)).toBe('在线：李爽，工单 7');
    await bot.post({ chat: 'p2p:lishuang', user: { id: 'lishuang', name: '李爽' }, text: '/PING' });
    expect((await bot.botTexts('p2p:lishuang')).at(-1)).toBe('在线：李爽，工单 —');
    // a teacher is refused by the registry's staff check, by roster id
    await bot.post({ chat: 'p2p:t-toy', user: { id: 't-toy', name: '李爽' }, text: '连通测试' });
    expect((await bot.botTexts('p2p:t-toy')).at(-1)).toContain('「连通测试」是售后服务团队的命令');
    await bot.post({ chat: 'p2p:lishuang', user: { id: 'lishuang', name: '李爽' }, text: '帮助' });
    const help = (await bot.botTexts('p2p:lishuang')).at(-1)!;
    expect(help).toContain('· 连通测试 —— 检查机器人是否在线');
    expect(help).toContain('/ping');
    expect(commandTable(registry)).toContain('| staff | `连通测试` | `/ping` | check the bot answers |');
  });
});
