import { parseLevel } from '../../src/domain/command-parse.ts';
import { deadlineOf, levelName } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'level',
  words: ['改级'],
  aliases: ['/level'],
  who: 'staff',
  help: { usage: '改级 #N L2', staff: '调整级别', readme: { who: 'staff', text: 'change the level (recomputes the response deadline)' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    const level = parseLevel(ctx.cmd.args);
    if (!level) return ctx.reply(zh.cmd.badLevel);
    return step(ctx, found.t, { kind: 'level', level }, ({ before, after: t }) => {
      const p = ctx.s.policy;
      const c = t.clocks.response;
      const deadline = c && c.stoppedAt === undefined ? zh.cmd.levelDeadline(deadlineOf(p, t, c, ctx.now)) : '';
      const a = audience(ctx, t);
      const text = zh.cmd.level({ n: t.n, from: levelName(p, before), to: levelName(p, t), deadline });
      a.say(text);
      a.tellReporter(text);
      return a.out;
    });
  },
});
