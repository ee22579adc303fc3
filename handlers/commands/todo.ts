import type { Ticket } from '../../src/domain/ticket.ts';
import { openClocks } from '../../src/domain/ticket.ts';
import { ticketLine } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { defineCommand } from './command.ts';

/** The moment a ticket's first running clock runs out (for sorting 待办). */
function earliestDue(t: Ticket): number {
  return Math.min(...openClocks(t).map((c) => c.dueAt), Number.MAX_SAFE_INTEGER);
}

export default defineCommand({
  name: 'todo',
  words: ['待办'],
  aliases: ['/todo'],
  who: 'staff',
  help: { usage: '待办', staff: '我的待处理工单及剩余时间', readme: { who: 'staff', text: 'my open tickets (and unassigned ones) with time left on each clock' } },
  async run(ctx) {
    const me = ctx.staff!;
    const open = (await ctx.s.store.openTickets()).filter((t) => t.assignee === me.id || !t.assignee);
    if (!open.length) return ctx.reply(zh.cmd.todoEmpty);
    open.sort((a, b) => earliestDue(a) - earliestDue(b));
    return ctx.reply([zh.cmd.todoTitle(open.length), ...open.map((t) => ticketLine(ctx.s.policy, t, ctx.now))].join('\n'));
  },
});
