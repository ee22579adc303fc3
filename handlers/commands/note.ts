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
    const r = await step(ctx, found.t, { kind: 'note', text: ctx.cmd.args });
    if ('out' in r) return r.out;
    const a = audience(ctx, r.after);
    a.say(zh.cmd.note(r.after.n));
    return a.out;
  },
});
