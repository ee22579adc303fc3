import { contractFor } from '../src/domain/contract/contract.ts';
import { replyTo, type IncomingMessage, type Outgoing } from '../src/domain/messages.ts';
import { stripBotMention } from '../src/domain/message-text.ts';
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
  if (isHandoff(stripped.text)) return handleHandoff(msg, addressed, s);
  return handleIntake(msg, stripped.text, addressed, s);
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
