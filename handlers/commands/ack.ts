import { assigneeName, outcomeText } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'ack',
  words: ['接单'],
  aliases: ['/ack'],
  who: 'staff',
  help: { usage: '接单 #N', staff: '响应工单', readme: { who: 'staff', text: 'the response (stops the response clock)' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    return step(ctx, found.t, { kind: 'ack' }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      a.say(zh.cmd.ack({ n: t.n, who: by.name, outcome: outcomeText(ctx.s.policy, t, t.clocks.response!, ctx.now) }));
      if (ctx.s.policy.notify.reporter.ack) a.tellReporter(zh.reporter.ack({ n: t.n, who: assigneeName(ctx.s.policy, t) }));
      return a.out;
    });
  },
});
