import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

/**
 * 回复 #N 文本: an engineer answers the teacher through the bot. The words go to the reporter's
 * chat under their report, signed, and stay in the ticket's history (the conversation never
 * leaves the record).
 */
export default defineCommand({
  name: 'reply',
  words: ['回复'],
  aliases: ['/reply'],
  who: 'staff',
  help: { usage: '回复 #N 已带备件出发，预计10点到', staff: '通过机器人回复报告人（记入工单记录）', readme: { who: 'staff', text: 'a message to the reporter in their chat, under their report, signed; kept in the history' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    const text = ctx.cmd.args;
    return step(ctx, found.t, { kind: 'reply', text }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      a.toReporterChat({ text: zh.reporter.reply({ n: t.n, text, who: by.name }) });
      const sameChat = ctx.msg.platform === t.chat.platform && ctx.msg.chatId === t.chat.chatId;
      if (!sameChat) a.say(zh.cmd.replySent({ n: t.n, to: t.reporter.name }));
      return a.out;
    });
  },
});
