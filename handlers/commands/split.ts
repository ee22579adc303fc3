import { pickPart, splitOut, splitParts } from '../../src/domain/incident/incident.ts';
import { isFault, type Level } from '../../src/domain/levels.ts';
import type { By } from '../../src/domain/lifecycle.ts';
import { preview } from '../../src/domain/message-text.ts';
import type { Outgoing } from '../../src/domain/messages.ts';
import { isOpen } from '../../src/domain/ticket.ts';
import { messageCommit } from '../../src/store/commit.ts';
import { teamNotice } from '../../src/views/team-notice.ts';
import { deadlineOf, levelName } from '../../src/views/ticket.ts';
import { zh } from '../../src/views/zh.ts';
import { defineCommand } from './command.ts';
import { ticketOf } from './ticket-step.ts';

/**
 * 拆分 #12 2 (or words of it): a follow-up, or another teacher's report, that is a different fault
 * becomes its own ticket — reported by whoever wrote it, its clock running from when they wrote
 * it. The new ticket is stored first under a number claimed for exactly this part, so a re-run
 * after a crash finds it instead of making a second one.
 */
export default defineCommand({
  name: 'split',
  words: ['拆分'],
  aliases: ['/split'],
  who: 'staff',
  help: {
    usage: '拆分 #12 序号',
    staff: '把工单里另一个问题拆成新工单（序号见「拆分 #12」的列表，也可写其中的文字）',
    readme: { who: 'staff', text: 'make a follow-up (or another teacher\'s report) of a ticket its own ticket, with fresh clocks from when it was written; without an index, lists what can be split' },
  },
  async run(ctx) {
    const { s, msg } = ctx;
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    const t = found.t;
    if (!isOpen(t)) return ctx.reply(zh.incident.splitEnded(t.n));
    const part = ctx.cmd.args.trim() ? pickPart(t, ctx.cmd.args) : undefined;
    if (!part) return ctx.reply(zh.incident.splitList(t.n, splitParts(t).map((p) => `${p.index}. ${p.actor.name}：${preview(p.text, 60)}`)));
    const c = s.classify(part.text);
    const label: Level = isFault(c.label) || c.label === 'consult' || c.label === 'other' ? c.label : 'L4';
    const by: By = { kind: 'staff', id: ctx.staff!.id, name: ctx.staff!.name };
    const { n, existing } = await s.store.claimNumber(part.chat.platform, `split:${t.n}:${part.messageId}`);
    const { created } = splitOut(t, part, n, label, c.confidence, by, ctx.now, s.policy);
    if (!existing || !(await s.store.get(n))) {
      await s.store.save(created);
      await s.hooks.created?.(created);
    }
    const stored = (await s.store.get(n)) ?? created;
    const r = await s.store.change(t.n, (cur) => {
      const p = splitParts(cur).find((x) => x.messageId === part.messageId && x.kind === part.kind);
      if (!p) return undefined;
      const next = splitOut(cur, p, n, label, c.confidence, by, ctx.now, s.policy).source;
      const p2 = s.policy;
      const deadline = deadlineOf(p2, stored, stored.clocks.response!, ctx.now);
      const items: Outgoing[] = [
        { dest: ctx.here, msg: { text: zh.incident.split({ from: t.n, n, levelName: levelName(p2, stored), deadline }) } },
        { dest: { to: 'origin', platform: part.chat.platform, chatId: part.chat.chatId, replyTo: part.messageId }, msg: { text: zh.incident.splitForReporter({ from: t.n, n, levelName: levelName(p2, stored), deadline }) } },
        { dest: { to: 'team' }, msg: teamNotice(p2, stored, ctx.now) },
      ];
      return { next, items, commit: messageCommit(msg, items, `command:split:${t.n}`) };
    });
    if (!r?.result) return ctx.reply(zh.incident.splitList(t.n, splitParts(r?.after ?? t).map((p) => `${p.index}. ${p.actor.name}：${preview(p.text, 60)}`)));
    await s.hooks.changed?.(r.before, r.after);
    s.log.info({ ticket: t.n, created: n, by: by.id }, 'ticket split');
    return r.result.items;
  },
});
