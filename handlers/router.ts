import { contractFor } from '../src/domain/contract/contract.ts';
import { replyTo, type IncomingMessage, type Outgoing } from '../src/domain/messages.ts';
import { stripBotMention } from '../src/domain/message-text.ts';
import { namedTicket } from '../src/domain/intake-rules.ts';
import { chatByPlatformId, staffOfSender } from '../src/domain/contract/roster.ts';
import { staffNext, statusName } from '../src/views/ticket.ts';
import { formatWindow } from '../src/views/time.ts';
import { zh } from '../src/views/zh.ts';
import { handleCommand, type CommandSet } from './commands/run.ts';
import { isHandoff } from './consult.ts';
import { handleHandoff, handleIntake } from './intake.ts';
import type { Services } from './services.ts';

/**
 * The one entry point for every incoming message of every platform (replays of handled messages
 * never get here: src/inbound.ts): decides whether the bot is addressed, and hands the message to
 * a command or to intake. A message whose effects an attempt that died already stored is not
 * handled again: its stored replies are sent instead.
 */
export async function handleIncoming(msg: IncomingMessage, s: Services, commands: CommandSet): Promise<Outgoing[]> {
  if (await committedBefore(msg, s)) {
    s.log.info({ platform: msg.platform, messageId: msg.messageId }, 'message handled before a restart: replaying its replies');
    return [];
  }
  const stripped = stripBotMention(msg.text ?? '', s.policy.bot.name);
  const addressed = msg.chatKind === 'p2p' || msg.mentionsBot || stripped.mentioned;
  if (addressed) {
    const flood = await s.flood.check(msg.platform, msg.sender.userId, s.now());
    if (!flood.allowed) {
      s.log.warn({ platform: msg.platform, userId: msg.sender.userId }, 'flood: message not handled');
      return flood.notify ? [{ dest: replyTo(msg), msg: { text: zh.flood(formatWindow(s.policy.flood.window), contractFor(s.policy, msg).service.phone) } }] : [];
    }
  }
  const command = await handleCommand(msg, stripped.text, s, commands);
  if (command) return command;
  const hint = await staffTicketHint(msg, stripped.text, s);
  if (hint) return hint;
  if (isHandoff(stripped.text)) return handleHandoff(msg, addressed, s);
  return handleIntake(msg, stripped.text, addressed, s);
}

/**
 * Staff writing about a ticket (`#12 怎么样了`) in the team group or privately, without a command:
 * the commands that fit that ticket now, not the teachers' greeting (and no ticket is opened).
 */
async function staffTicketHint(msg: IncomingMessage, text: string, s: Services): Promise<Outgoing[] | undefined> {
  const n = namedTicket(text);
  if (n === undefined) return undefined;
  if (!staffOfSender(s.policy, msg.platform, msg.sender.userId, msg.staffId)) return undefined;
  const chat = chatByPlatformId(s.policy, msg.platform, msg.chatId);
  if (msg.chatKind !== 'p2p' && chat?.role !== 'team') return undefined;
  const t = await s.store.get(n);
  return [{ dest: replyTo(msg), msg: { text: t ? zh.cmd.ticketHint(n, statusName(t.status), staffNext(t)) : zh.cmd.notFound(n) } }];
}

/**
 * Whether an earlier attempt stored this message's effects: it left its mark with them, or it
 * saved the ticket its claimed number names (a claim alone, with no ticket, is not a commit).
 */
async function committedBefore(msg: IncomingMessage, s: Services): Promise<boolean> {
  const mark = await s.store.messageSeen(msg.platform, msg.messageId);
  if (!mark) return false;
  return /^\d+$/.test(mark) ? !!(await s.store.get(Number(mark))) : true;
}
