import { randomBytes } from 'node:crypto';
import { parseResolution } from '../../src/domain/command-parse.ts';
import { shortReport } from '../../src/views/reporter-notice.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'resolve',
  words: ['已解决', '解决'],
  aliases: ['/resolve'],
  staffWords: ['修好了'],
  who: 'staff',
  help: { usage: '已解决 #N 更换了硬盘 配件：硬盘1块', staff: '处理完成（配件可选；也可写 解决 / 修好了）', readme: { who: 'staff', text: 'done; the reporter gets the short service report and the link to the full one' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    // The printable report's link carries an unguessable token, made once per ticket.
    return step(ctx, found.t, { kind: 'resolve', ...parseResolution(ctx.cmd.args), reportToken: randomBytes(16).toString('hex') }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      a.say(zh.cmd.resolve({ n: t.n, who: by.name }));
      // The short report goes to the reporter's chat (even when typed there): it is what they sign.
      if (ctx.s.policy.notify.reporter.resolve) a.toReporterChat(shortReport(ctx.s.policy, t, ctx.now, ctx.s.reportLink?.(t)));
      return a.out;
    });
  },
});
