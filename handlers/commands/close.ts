import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'close',
  words: ['关闭'],
  aliases: ['/close'],
  who: 'staff',
  help: { usage: '关闭 #N 原因', staff: '关闭工单（原因可选）', readme: { who: 'staff', text: 'close, with an optional reason (running clocks are cancelled)' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    const reason = ctx.cmd.args;
    return step(ctx, found.t, { kind: 'close', reason }, ({ after: t }) => {
      const a = audience(ctx, t);
      const text = zh.cmd.close({ n: t.n, reason });
      a.say(text);
      a.tellReporter(text);
      return a.out;
    });
  },
});
