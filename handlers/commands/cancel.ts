import { leaveIncident } from '../../src/domain/incident/incident.ts';
import { coReportersOf, isOpen, reportersOf } from '../../src/domain/ticket.ts';
import { messageCommit } from '../../src/store/commit.ts';
import { refusalText } from '../../src/views/refusals.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand, type CommandContext } from './command.ts';
import { step, ticketOf, unlessReporter } from './ticket-step.ts';

export default defineCommand({
  name: 'cancel',
  words: ['撤销'],
  aliases: ['/cancel'],
  who: 'anyone',
  help: { usage: '撤销 #N', teacher: '撤销自己报告的工单', readme: { who: 'teacher', text: 'cancel an own ticket while nobody is on site' } },
  async run(ctx) {
    const found = await ticketOf(ctx, { latest: (mine) => mine.find((t) => isOpen(t)) });
    if ('out' in found) return found.out;
    const refused = unlessReporter(ctx, found.t);
    if (refused) return refused;
    const t0 = found.t;
    const first = t0.reporter.platform === ctx.msg.platform && t0.reporter.userId === ctx.msg.sender.userId;
    // One fault, several reporters: a later reporter takes back only their own report, and the
    // first cannot cancel what others still report.
    if (!first) return isOpen(t0) ? leave(ctx, t0.n) : ctx.reply(refusalText({ code: 'ended', status: t0.status }, t0, ctx.s.policy));
    if (coReportersOf(t0).length && isOpen(t0)) return ctx.reply(zh.incident.cancelShared(t0.n, coReportersOf(t0).length));
    return step(ctx, found.t, { kind: 'cancel' }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      a.say(zh.cmd.cancel(t.n));
      a.toTeam(zh.cmd.cancelToTeam({ n: t.n, who: by.name }));
      return a.out;
    });
  },
});

async function leave(ctx: CommandContext, n: number) {
  const { s, msg } = ctx;
  const r = await s.store.change(n, (cur) => {
    const next = leaveIncident(cur, msg.platform, msg.sender.userId, msg.sender.name, ctx.now);
    if (next === cur) return undefined;
    const items = [
      ...ctx.reply(zh.incident.left(n)),
      { dest: { to: 'team' as const }, msg: { text: zh.incident.leftToTeam({ n, who: msg.sender.name, total: reportersOf(next).length }) } },
    ];
    return { next, items, commit: messageCommit(msg, items, `command:cancel:${n}`) };
  });
  if (!r?.result) return ctx.reply(zh.incident.left(n));
  s.log.info({ ticket: n, reporters: reportersOf(r.after).length }, 'co-reporter left an incident');
  return r.result.items;
}
