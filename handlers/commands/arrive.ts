import { outcomeText } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'arrive',
  words: ['到场', '已到场'],
  staffWords: ['到了'],
  aliases: ['/arrive'],
  who: 'staff',
  help: { usage: '到场 #N', staff: '工程师已到现场（也可写 已到场 / 到了）', readme: { who: 'staff', text: 'arrived on site' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    return step(ctx, found.t, { kind: 'arrive' }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      const text = zh.cmd.arrive({ n: t.n, who: by.name, outcome: outcomeText(ctx.s.policy, t, t.clocks.arrival!, ctx.now) });
      a.say(text);
      if (ctx.s.policy.notify.reporter.arrive) a.tellReporter(zh.reporter.arrive({ n: t.n, who: by.name }));
      return a.out;
    });
  },
});
