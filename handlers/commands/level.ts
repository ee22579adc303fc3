import { parseLevelAndReason } from '../../src/domain/command-parse.ts';
import { deadlineOf, levelName } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'level',
  words: ['改级'],
  aliases: ['/level'],
  who: 'staff',
  help: { usage: '改级 #N L2 原因', staff: '调整级别（原因可选，会告知报告人）', readme: { who: 'staff', text: 'change the level, with an optional reason (recomputes the response deadline; the reporter is told)' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    const { level, reason } = parseLevelAndReason(ctx.cmd.args);
    if (!level) return ctx.reply(zh.cmd.badLevel);
    return step(ctx, found.t, { kind: 'level', level, ...(reason ? { reason } : {}) }, ({ before, after: t }) => {
      const p = ctx.s.policy;
      const c = t.clocks.response;
      const deadline = c && c.stoppedAt === undefined ? zh.cmd.levelDeadline(deadlineOf(p, t, c, ctx.now)) : '';
      const a = audience(ctx, t);
      a.say(zh.cmd.level({ n: t.n, from: levelName(p, before), to: levelName(p, t), deadline, reason }));
      if (p.notify.reporter.level) a.tellReporter(zh.reporter.level({ n: t.n, from: levelName(p, before), to: levelName(p, t), reason, deadline }));
      return a.out;
    });
  },
});
