import { ticketDetail } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { memberByName } from './members.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'assign',
  words: ['派单', '指派', '转派'],
  aliases: ['/assign'],
  who: 'staff',
  help: { usage: '派单 #N 张天慧', staff: '指派工程师', readme: { who: 'staff', text: 'assign an engineer (reschedules reminders)' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    // A name or a roster id; none given: the sender takes it.
    const named = memberByName(ctx, ctx.cmd.args);
    if ('out' in named) return named.out;
    const m = named.member ?? ctx.staff;
    if (!m) return ctx.reply(zh.cmd.needNumber('派单'));
    return step(ctx, found.t, { kind: 'assign', to: m.id, toName: m.name }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      a.say(zh.cmd.assign({ n: t.n, who: m.name }));
      if (ctx.s.policy.notify.reporter.assign) a.tellReporter(zh.reporter.assign({ n: t.n, who: m.name }));
      const detail = ticketDetail(ctx.s.policy, t, ctx.now, { internal: true });
      a.to({ to: 'staff', staffId: m.id }, { ...detail, text: `${zh.cmd.assignToAssignee({ n: t.n, by: by.name })}\n${detail.text}` });
      return a.out;
    });
  },
});
