import type { IncomingMessage, Outgoing } from '../src/channels/types.ts';
import { zh } from '../src/i18n/zh.ts';
import type { Services } from './services.ts';

const HELP = /^(帮助|help|\/help|菜单|命令|\?|？)$/i;

/**
 * Commands typed in chat. Returns undefined when the text is not a command, so intake takes it.
 * In groups a command needs no mention when the text starts with the command word.
 */
export async function handleCommand(msg: IncomingMessage, text: string, _addressed: boolean, s: Services): Promise<Outgoing[] | undefined> {
  const t = text.trim();
  if (HELP.test(t)) {
    await s.store.markMessage(msg.platform, msg.messageId);
    return [{ dest: { to: 'origin', platform: msg.platform, chatId: msg.chatId, replyTo: msg.messageId }, msg: { text: zh.help(s.policy.bot.name, s.policy.service.phone) } }];
  }
  return undefined;
}
