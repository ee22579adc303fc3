import { mergeTickets, type MergeRefusal } from '../../src/domain/incident/incident.ts';
import { namedTicket } from '../../src/domain/intake-rules.ts';
import { toReporters, type Outgoing } from '../../src/domain/messages.ts';
import { reportersOf, type Ticket } from '../../src/domain/ticket.ts';
import { messageCommit } from '../../src/store/commit.ts';
import { levelName } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { defineCommand } from './command.ts';
import type { By } from '../../src/domain/lifecycle.ts';

/**
 * 合并 #13 #12: ticket 13 is the same fault as 12. Two writes, target first, so a crash between
 * them leaves the reporters on the target and the command, re-run, finishes the source (the
 * target's write is idempotent: it finds the merge already recorded).
 */
export default defineCommand({
  name: 'merge',
  words: ['合并'],
  aliases: ['/merge'],
  who: 'staff',
  help: {
    usage: '合并 #13 #12',
    staff: '把同一故障的工单合并（13 并入 12：报告人、内容、附件转入，13 的提醒取消）',
    readme: { who: 'staff', text: 'merge a ticket into another of the same fault: its reporters, words and attachments move, its timers are removed, it then points to the other' },
  },
  async run(ctx) {
    const { s, msg } = ctx;
    const from = ctx.cmd.n;
    const into = namedTicket(ctx.cmd.args) ?? (/^\d{1,9}\b/.test(ctx.cmd.args.trim()) ? Number(/^\d{1,9}/.exec(ctx.cmd.args.trim())![0]) : undefined);
    if (from === undefined || into === undefined) return ctx.reply(zh.incident.mergeUsage);
    const [src, dst] = [await s.store.get(from), await s.store.get(into)];
    if (!src) return ctx.reply(zh.cmd.notFound(from));
    if (!dst) return ctx.reply(zh.cmd.notFound(into));
    const by: By = { kind: 'staff', id: ctx.staff!.id, name: ctx.staff!.name };
    const refuse = (r: MergeRefusal, t: Ticket): Outgoing[] => {
      const w = zh.incident.mergeRefused;
      return ctx.reply(r === 'same-ticket' ? w['same-ticket'] : r === 'already-merged' ? w['already-merged'](t.n, t.mergedInto ?? into) : r === 'source-ended' ? w['source-ended'](from) : w['target-ended'](into));
    };
    const first = mergeTickets(src, dst, by, ctx.now, s.policy);
    if (!first.ok) return refuse(first.refusal, src);

    let refusal: MergeRefusal | undefined;
    const done = (t: Ticket) => t.history.some((h) => h.action === 'merge' && h.ticket === from);
    const target = await s.store.change(into, (cur) => {
      if (done(cur)) return undefined;
      const r = mergeTickets(src, cur, by, ctx.now, s.policy);
      if (!r.ok) {
        refusal = r.refusal;
        return undefined;
      }
      return { next: r.target };
    });
    if (refusal) return refuse(refusal, src);
    if (!target) return ctx.reply(zh.cmd.notFound(into));
    const source = await s.store.change(from, (cur) => {
      const r = mergeTickets(cur, target.after, by, ctx.now, s.policy);
      if (!r.ok) return undefined;
      const total = reportersOf(target.after).length;
      const raised = target.after.level !== dst.level && target.before.level !== target.after.level;
      const items: Outgoing[] = [{ dest: ctx.here, msg: { text: zh.incident.merged({ from, into, total, levelNote: raised ? zh.teamNotice.levelRaised(levelName(s.policy, target.after)) : '' }) } }];
      for (const dest of toReporters(cur)) items.push({ dest, msg: { text: zh.incident.mergedForReporter(from, into) } });
      return { next: r.source, items, commit: messageCommit(msg, items, `command:merge:${from}`) };
    });
    if (target.result) await s.hooks.changed?.(target.before, target.after);
    if (!source?.result) return ctx.reply(zh.incident.mergeRefused['already-merged'](from, into));
    await s.hooks.changed?.(source.before, source.after);
    s.log.info({ ticket: from, into, by: by.id, reporters: reportersOf(target.after).length }, 'tickets merged');
    return source.result.items;
  },
});
