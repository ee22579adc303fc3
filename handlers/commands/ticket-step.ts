import { apply, type By, type LifecycleAction, type Refusal } from '../../src/domain/lifecycle.ts';
import type { Outgoing } from '../../src/domain/messages.ts';
import { messageCommit } from '../../src/store/commit.ts';
import type { Ticket } from '../../src/domain/ticket.ts';
import { refusalText } from '../../src/views/refusals.ts';
import { zh } from '../../src/views/zh.ts';
import { isReporter, type CommandContext } from './command.ts';

/** The word a command is shown by (its first). */
const shown = (ctx: CommandContext): string => ctx.commands.find((c) => c.name === ctx.cmd.name)?.words[0] ?? ctx.cmd.name;

/**
 * The ticket a command is about: the number given, or for a reporter's own steps (确认, 评价,
 * 撤销) their latest ticket that fits. Answers when there is none.
 */
export async function ticketOf(ctx: CommandContext, o: { n?: number | undefined; latest?: (mine: Ticket[]) => Ticket | undefined } = {}): Promise<{ t: Ticket } | { out: Outgoing[] }> {
  let n = 'n' in o ? o.n : ctx.cmd.n;
  if (n === undefined && o.latest) {
    // The index may still list a ticket they no longer report (a report taken back or split out).
    const mine = (await ctx.s.store.byReporter(ctx.msg.platform, ctx.msg.sender.userId, 10)).filter((t) => isReporter(t, ctx.msg));
    n = o.latest(mine)?.n;
  }
  if (n === undefined) return { out: ctx.reply(zh.cmd.needNumber(shown(ctx))) };
  const t = await ctx.s.store.get(n);
  if (!t) return { out: ctx.reply(zh.cmd.notFound(n)) };
  return { t };
}

/** Only the reporter may take this step (确认, 评价, 撤销): refuses anyone else, politely, and logs it. */
export function unlessReporter(ctx: CommandContext, t: Ticket): Outgoing[] | undefined {
  if (isReporter(t, ctx.msg)) return undefined;
  ctx.s.log.warn({ platform: ctx.msg.platform, userId: ctx.msg.sender.userId, command: ctx.cmd.name, ticket: t.n }, 'reporter command refused: not the reporter');
  return ctx.reply(zh.cmd.reporterOnly(t.n));
}

export interface Stepped {
  before: Ticket;
  after: Ticket;
  by: By;
}

/**
 * Runs one lifecycle step on a ticket and says what it did: the new ticket, the message's mark and
 * what `say` returns are stored in one compare-and-set (so a crash leaves all or nothing, and a
 * re-run replays), then the SLA engine is told. A refusal is answered in words.
 */
export async function step(ctx: CommandContext, t: Ticket, action: LifecycleAction, say: (s: Stepped) => Outgoing[]): Promise<Outgoing[]> {
  const { s, msg, staff } = ctx;
  const by: By = staff ? { kind: 'staff', id: staff.id, name: staff.name } : { kind: 'user', id: msg.sender.userId, name: msg.sender.name };
  let refusal: Refusal | undefined;
  const r = await s.store.change(t.n, (cur) => {
    const a = apply(cur, action, by, ctx.now, s.policy);
    if (!a.ok) {
      refusal = a.refusal;
      return undefined;
    }
    refusal = undefined;
    const items = say({ before: cur, after: a.ticket, by });
    return { next: a.ticket, items, commit: messageCommit(msg, items, `command:${ctx.cmd.name}:${t.n}`) };
  });
  if (refusal || !r?.result) return ctx.reply(refusal ? refusalText(refusal, t, s.policy) : zh.cmd.notFound(t.n));
  await s.hooks.changed?.(r.before, r.after);
  s.log.info({ ticket: t.n, command: ctx.cmd.name, by: by.kind === 'staff' ? by.id : 'reporter' }, 'command applied');
  return r.result.items;
}
