import { assigneeName, deadlineOf } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'dispatch',
  words: ['上门'],
  aliases: ['/dispatch'],
  who: 'staff',
  help: { usage: '上门 #N', staff: '派人上门，开始到场/解决/备用系统时限', readme: { who: 'staff', text: 'on-site: starts arrival 2 h, resolution 4 h, backup 72 h' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    return step(ctx, found.t, { kind: 'dispatch' }, ({ after: t }) => {
      const p = ctx.s.policy;
      const a = audience(ctx, t);
      const text = zh.cmd.dispatch({ n: t.n, who: assigneeName(p, t), arrive: deadlineOf(p, t, t.clocks.arrival!, ctx.now), resolve: deadlineOf(p, t, t.clocks.resolution!, ctx.now), backup: deadlineOf(p, t, t.clocks.backup!, ctx.now) });
      a.say(text);
      a.tellReporter(text);
      return a.out;
    });
  },
});
