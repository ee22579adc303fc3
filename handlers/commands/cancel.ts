import { isOpen } from '../../src/domain/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf, unlessReporter } from './ticket-step.ts';

export default defineCommand({
  name: 'cancel',
  words: ['撤销'],
  aliases: ['/cancel'],
  who: 'anyone',
  help: { usage: '撤销 #N', teacher: '撤销自己报告的工单', readme: { who: 'teacher', text: 'cancel an own ticket while nobody is on site' } },
  async run(ctx) {
    const found = await ticketOf(ctx, { latest: (mine) => mine.find((t) => isOpen(t)) });
    if ('out' in found) return found.out;
    const refused = unlessReporter(ctx, found.t);
    if (refused) return refused;
    return step(ctx, found.t, { kind: 'cancel' }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      a.say(zh.cmd.cancel(t.n));
      a.toTeam(zh.cmd.cancelToTeam({ n: t.n, who: by.name }));
      return a.out;
    });
  },
});
