import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'note',
  words: ['备注'],
  aliases: ['/note'],
  who: 'staff',
  help: { usage: '备注 #N 内容', staff: '添加备注', readme: { who: 'staff', text: 'a note in the ticket\'s history' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    return step(ctx, found.t, { kind: 'note', text: ctx.cmd.args }, ({ after: t }) => {
      const a = audience(ctx, t);
      a.say(zh.cmd.note(t.n));
      return a.out;
    });
  },
});
