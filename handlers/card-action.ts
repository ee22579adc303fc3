import { stateVersion } from '../src/domain/lifecycle.ts';
import type { CardClick, CardClickResult, IncomingMessage, Outgoing } from '../src/domain/messages.ts';
import { staffOfSender } from '../src/domain/contract/roster.ts';
import { ticketCard, ticketDetail, withReplyBox } from '../src/views/ticket.ts';
import { zh } from '../src/views/zh.ts';
import { handleCommand, type CommandSet } from './commands/run.ts';
import type { Services } from './services.ts';

/**
 * A card button: exactly the command the person could have typed, with the same authorisation.
 * A click on a card drawn at an older state version acts on nothing and redraws the card.
 * Returns what to send (as a typed command would) and the toast + redrawn card for the clicker.
 */
export async function handleCardClick(click: CardClick, s: Services, commands: CommandSet): Promise<{ out: Outgoing[]; result: CardClickResult }> {
  const now = s.now();
  if (click.ticket) {
    const t = await s.store.get(click.ticket.n);
    if (!t) return { out: [], result: { toast: zh.card.notFound(click.ticket.n) } };
    if (stateVersion(t) !== click.ticket.version) {
      s.log.info({ ticket: t.n, cardVersion: click.ticket.version, version: stateVersion(t) }, 'stale card click ignored');
      return { out: [], result: { toast: zh.card.stale, card: ticketCard(s.policy, t, now), cardText: ticketDetail(s.policy, t, now).text.split('\n')[0] } };
    }
  }
  const msg: IncomingMessage = {
    platform: click.platform,
    chatId: click.chatId,
    chatKind: click.chatKind,
    sender: click.sender,
    text: click.command,
    mentionsBot: true,
    messageId: click.clickId,
    at: now,
    attachments: [],
  };
  const out = (await handleCommand(msg, click.command, s, commands)) ?? [];
  const firstReply = out.find((o) => o.dest.to === 'origin' && o.dest.chatId === click.chatId)?.msg.text ?? zh.card.done;
  const toast = firstReply.split('\n')[0]!.slice(0, 80);
  if (!click.ticket) return { out, result: { toast } };
  const after = await s.store.get(click.ticket.n);
  // Refused or illegal: only the clicker sees why (a toast); the shared card and the chat stay as they are.
  if (!after || stateVersion(after) === click.ticket.version) return { out: [], result: { toast } };
  const staff = staffOfSender(s.policy, click.platform, click.sender.userId);
  const card = ticketCard(s.policy, after, now);
  return { out, result: { toast, card: staff ? withReplyBox(card, after.n) : card, cardText: firstReply } };
}
