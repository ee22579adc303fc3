import { randomBytes } from 'node:crypto';
import { parseResolution } from '../../src/domain/command-parse.ts';
import { serviceReport } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'resolve',
  words: ['已解决'],
  aliases: ['/resolve'],
  who: 'staff',
  help: { usage: '已解决 #N 更换了硬盘 配件：硬盘1块', staff: '处理完成（配件可选）', readme: { who: 'staff', text: 'done; the reporter gets the service report' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    // The printable report's link carries an unguessable token, made once per ticket.
    return step(ctx, found.t, { kind: 'resolve', ...parseResolution(ctx.cmd.args), reportToken: randomBytes(16).toString('hex') }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      a.say(zh.cmd.resolve({ n: t.n, who: by.name }));
      // The service report goes to the reporter's chat in any case: it is what they sign.
      const report = serviceReport(ctx.s.policy, t, ctx.now);
      const link = ctx.s.reportLink?.(t);
      a.toReporterChat(link ? { ...report, text: `${report.text}\n${zh.report.link(link)}` } : report);
      return a.out;
    });
  },
});
