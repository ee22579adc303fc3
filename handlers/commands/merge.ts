import { absorbInto, markMerged, mergeRefusal, type MergeRefusal } from '../../src/domain/incident/incident.ts';
import { namedTicket } from '../../src/domain/intake-rules.ts';
import type { By } from '../../src/domain/lifecycle.ts';
import { toReporters, type Outgoing } from '../../src/domain/messages.ts';
import { reportersOf, type Ticket } from '../../src/domain/ticket.ts';
import { messageCommit } from '../../src/store/commit.ts';
import { levelName } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { defineCommand } from './command.ts';

/**
 * 合并 #13 #12: ticket 13 is the same fault as 12. Two writes, source first: once 13 is `merged`
 * nobody can join it any more, so the second write — 12 takes 13's reporters as they are then,
 * with the command's mark and replies — misses no one. A crash between the two is finished by the
 * command's retry (no mark yet): 13 is found merged into 12 already, and 12's write is idempotent.
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
    const rest = ctx.cmd.args.trim();
    const into = namedTicket(rest) ?? (/^\d{1,9}(?!\d)/.test(rest) ? Number(/^\d{1,9}/.exec(rest)![0]) : undefined);
    if (from === undefined || into === undefined) return ctx.reply(zh.incident.mergeUsage);
    const [src, dst] = [await s.store.get(from), await s.store.get(into)];
    if (!src) return ctx.reply(zh.cmd.notFound(from));
    if (!dst) return ctx.reply(zh.cmd.notFound(into));
    const by: By = { kind: 'staff', id: ctx.staff!.id, name: ctx.staff!.name };
    const refuse = (r: MergeRefusal, t: Ticket): Outgoing[] => {
      const w = zh.incident.mergeRefused;
      return ctx.reply(r === 'same-ticket' ? w['same-ticket'] : r === 'already-merged' ? w['already-merged'](t.n, t.mergedInto ?? into) : r === 'source-ended' ? w['source-ended'](from) : w['target-ended'](into));
    };
    const refused = mergeRefusal(src, dst);
    if (refused) return refuse(refused, src);

    // 1. The source ends as merged (its timers go): from now on nobody joins it.
    let late: MergeRefusal | undefined;
    const source = await s.store.change(from, (cur) => {
      late = cur.status === 'merged' ? (cur.mergedInto === into ? undefined : 'already-merged') : mergeRefusal(cur, dst);
      if (late || cur.status === 'merged') return undefined;
      return { next: markMerged(cur, into, by, ctx.now, s.policy) };
    });
    if (late) return refuse(late, source?.after ?? src);
    if (!source) return ctx.reply(zh.cmd.notFound(from));
    if (source.result) await s.hooks.changed?.(source.before, source.after);

    // 2. The target takes the source's reporters as they are now, with the command's mark and replies.
    const merged = source.after;
    const target = await s.store.change(into, (cur) => {
      const next = absorbInto(cur, merged, by, ctx.now, s.policy);
      const total = reportersOf(next).length;
      const raised = next.level !== cur.level;
      const items: Outgoing[] = [{ dest: ctx.here, msg: { text: zh.incident.merged({ from, into, total, levelNote: raised ? zh.teamNotice.levelRaised(levelName(s.policy, next)) : '' }) } }];
      for (const dest of toReporters(merged)) items.push({ dest, msg: { text: zh.incident.mergedForReporter(from, into) } });
      return { next, items, commit: messageCommit(msg, items, `command:merge:${from}`) };
    });
    if (!target?.result) return ctx.reply(zh.cmd.notFound(into));
    await s.hooks.changed?.(target.before, target.after);
    s.log.info({ ticket: from, into, by: by.id, reporters: reportersOf(target.after).length }, 'tickets merged');
    return target.result.items;
  },
});
