import { assigneeName, deadlineOf } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { memberByName } from './members.ts';
import { step, ticketOf } from './ticket-step.ts';

export default defineCommand({
  name: 'dispatch',
  words: ['上门'],
  aliases: ['/dispatch'],
  who: 'staff',
  help: { usage: '上门 #N 张天慧', staff: '派人上门（不写名字：负责人或本人去），开始到场/解决/备用系统时限', readme: { who: 'staff', text: 'on-site (optionally naming who goes): starts arrival 2 h, resolution 4 h, backup 72 h; the reporter is told who comes by when' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    const who = memberByName(ctx, ctx.cmd.args);
    if ('out' in who) return who.out;
    return step(ctx, found.t, { kind: 'dispatch', ...(who.member ? { to: who.member.id } : {}) }, ({ after: t }) => {
      const p = ctx.s.policy;
      const a = audience(ctx, t);
      const name = assigneeName(p, t);
      const arrive = deadlineOf(p, t, t.clocks.arrival!, ctx.now);
      a.say(zh.cmd.dispatch({ n: t.n, who: name, arrive, resolve: deadlineOf(p, t, t.clocks.resolution!, ctx.now), backup: deadlineOf(p, t, t.clocks.backup!, ctx.now) }));
      if (p.notify.reporter.dispatch) a.tellReporter(zh.reporter.dispatch({ n: t.n, who: name, arrive }));
      // The one who goes, when someone else sent them, hears it privately.
      if (t.assignee && t.assignee !== ctx.staff?.id) a.to({ to: 'staff', staffId: t.assignee }, { text: zh.cmd.dispatchToAssignee({ n: t.n, by: ctx.staff?.name ?? '', arrive }) });
      return a.out;
    });
  },
});
