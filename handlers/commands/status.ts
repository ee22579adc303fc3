import { ticketDetail } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { defineCommand, isReporter } from './command.ts';
import { ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'status',
  words: ['查询'],
  aliases: ['/status'],
  who: 'anyone',
  help: { usage: '查询 #N', staff: '工单详情', teacher: '查看工单进度', readme: { who: 'everyone', text: 'where a ticket stands, with its history (teachers: their own tickets)' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    const t = found.t;
    // The reporter and the service team see a ticket; other teachers do not.
    if (!isReporter(t, ctx.msg) && !ctx.staff) return ctx.reply(zh.cmd.notYours(t.n));
    return [{ dest: ctx.here, msg: ticketDetail(ctx.s.policy, t, ctx.now, { internal: !!ctx.staff }) }];
  },
});
