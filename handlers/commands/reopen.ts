import { deadlineOf } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'reopen',
  words: ['重开'],
  aliases: ['/reopen'],
  who: 'staff',
  help: { usage: '重开 #N', staff: '重新打开已解决或已关闭的工单', readme: { who: 'staff', text: 'reopen a resolved or closed ticket (a new response clock)' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    return step(ctx, found.t, { kind: 'reopen' }, ({ after: t }) => {
      const a = audience(ctx, t);
      const text = zh.cmd.reopen({ n: t.n, deadline: deadlineOf(ctx.s.policy, t, t.clocks.response!, ctx.now) });
      a.say(text);
      a.tellReporter(text);
      a.toTeam(text);
      return a.out;
    });
  },
});
