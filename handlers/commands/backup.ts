import { outcomeText } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'backup',
  words: ['备用'],
  aliases: ['/backup'],
  who: 'staff',
  help: { usage: '备用 #N', staff: '备用系统已就位', readme: { who: 'staff', text: 'backup system in place' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    return step(ctx, found.t, { kind: 'backup', text: ctx.cmd.args }, ({ after: t }) => {
      const a = audience(ctx, t);
      const text = zh.cmd.backup({ n: t.n, outcome: outcomeText(ctx.s.policy, t, t.clocks.backup!, ctx.now) });
      a.say(text);
      a.tellReporter(text);
      return a.out;
    });
  },
});
