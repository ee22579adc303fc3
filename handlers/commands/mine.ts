import { ticketLine } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { defineCommand } from './command.ts';

export default defineCommand({
  name: 'mine',
  words: ['我的工单'],
  aliases: ['/mine'],
  who: 'anyone',
  help: { usage: '我的工单', teacher: '我报告过的工单', readme: { who: 'teacher', text: 'my latest tickets and where they stand' } },
  async run(ctx) {
    const mine = await ctx.s.store.byReporter(ctx.msg.platform, ctx.msg.sender.userId, 10);
    return ctx.reply(mine.length ? [zh.cmd.mineTitle(mine.length), ...mine.map((t) => ticketLine(ctx.s.policy, t, ctx.now))].join('\n') : zh.cmd.mineEmpty);
  },
});
