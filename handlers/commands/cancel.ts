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
    const r = await step(ctx, found.t, { kind: 'cancel' });
    if ('out' in r) return r.out;
    const a = audience(ctx, r.after);
    a.say(zh.cmd.cancel(r.after.n));
    a.toTeam(zh.cmd.cancelToTeam({ n: r.after.n, who: r.by.name }));
    return a.out;
  },
});
