import { defineCommand } from '../../handlers/commands/command.ts';

/** A toy command for test/commands.test.ts: all it takes to add a command is this file and a registry line. */
export default defineCommand({
  name: 'ping',
  words: ['连通测试'],
  aliases: ['/ping'],
  who: 'staff',
  help: { usage: '连通测试', staff: '检查机器人是否在线', readme: { who: 'staff', text: 'check the bot answers' } },
  async run(ctx) {
    return ctx.reply(`在线：${ctx.staff!.name}，工单 ${ctx.cmd.n ?? '—'}`);
  },
});
