import { parseRating } from '../../src/domain/command-parse.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf, unlessReporter } from './ticket-step.ts';

export default defineCommand({
  name: 'rate',
  words: ['评价'],
  aliases: ['/rate'],
  who: 'anyone',
  help: { usage: '评价 #N 5', teacher: '为服务打分（1-5 分，可附评语）', readme: { who: 'teacher', usage: '评价 #N 5 很及时', text: 'satisfaction 1–5 with an optional comment' } },
  async run(ctx) {
    let n = ctx.cmd.n;
    let args = ctx.cmd.args;
    if (n !== undefined && !ctx.cmd.hash && !args && n >= 1 && n <= 5) {
      args = String(n); // "评价 5": a score for the latest finished ticket
      n = undefined;
    }
    const found = await ticketOf(ctx, { n, latest: (mine) => mine.find((t) => t.status === 'resolved' || t.status === 'confirmed') });
    if ('out' in found) return found.out;
    const refused = unlessReporter(ctx, found.t);
    if (refused) return refused;
    const rating = parseRating(args);
    if (!rating) return ctx.reply(zh.cmd.badRating(found.t.n));
    return step(ctx, found.t, { kind: 'rate', ...rating }, ({ after: t }) => {
      const a = audience(ctx, t);
      a.say(zh.cmd.rate({ n: t.n, score: rating.score }));
      // A low score is a call-back for the lead (the contract's satisfaction survey).
      if (rating.score <= 2) a.toTeam(zh.cmd.lowRating({ n: t.n, score: rating.score, comment: rating.comment }));
      return a.out;
    });
  },
});
