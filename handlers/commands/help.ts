import { contractFor } from '../../src/domain/contract/contract.ts';
import { zh } from '../../src/views/zh.ts';
import { defineCommand, type Command } from './command.ts';

/** The 帮助 text for staff or for teachers, from the registered commands' help lines. */
export function helpText(commands: readonly Command[], audience: 'staff' | 'teacher', bot: string, phone: string): string {
  const listed = commands.filter((c) => c.help[audience]);
  const lines = listed.map((c) => zh.help.line(c.help.usage, c.help[audience]!));
  const aliases = [...listed, ...commands.filter((c) => c.name === 'help')].flatMap((c) => c.aliases);
  return audience === 'staff' ? zh.help.staff(bot, lines, aliases) : zh.help.teacher(bot, phone, lines, aliases);
}

export default defineCommand({
  name: 'help',
  words: ['帮助'],
  aliases: ['/help'],
  who: 'anyone',
  help: { usage: '帮助', readme: { who: 'everyone', text: 'the commands this person may use' } },
  async run(ctx) {
    const p = ctx.s.policy;
    return ctx.reply(helpText(ctx.commands, ctx.staff ? 'staff' : 'teacher', p.bot.name, contractFor(p, ctx.msg).service.phone));
  },
});
