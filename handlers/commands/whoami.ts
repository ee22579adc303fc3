import { zh } from '../../src/views/zh.ts';
import { defineCommand } from './command.ts';

export default defineCommand({
  name: 'whoami',
  words: ['我的ID'],
  aliases: ['/whoami'],
  who: 'anyone',
  help: { usage: '我的ID', readme: { who: 'everyone', text: "this person's and this chat's platform ids (for the roster)" } },
  // For admins filling in the roster: the ids this platform gives the sender and this chat.
  async run(ctx) {
    const { msg } = ctx;
    return ctx.reply(zh.cmd.whoami({ platform: msg.platform, userId: msg.sender.userId, chatId: msg.chatId, staff: ctx.staff?.name }));
  },
});
