import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf, unlessReporter } from './ticket-step.ts';

export default defineCommand({
  name: 'confirm',
  words: ['确认'],
  aliases: ['/confirm'],
  who: 'anyone',
  help: { usage: '确认 #N', teacher: '处理完成后签字确认服务报告', readme: { who: 'teacher', text: "sign the service report (the contract's user signature)" } },
  async run(ctx) {
    const found = await ticketOf(ctx, { latest: (mine) => mine.find((t) => t.status === 'resolved') });
    if ('out' in found) return found.out;
    const refused = unlessReporter(ctx, found.t);
    if (refused) return refused;
    return step(ctx, found.t, { kind: 'confirm' }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      a.say(zh.cmd.confirm({ n: t.n }));
      a.toTeam(zh.cmd.confirmToTeam({ n: t.n, who: by.name }));
      return a.out;
    });
  },
});
