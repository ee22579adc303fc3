import type { Command } from './command.ts';

export const TABLE_START = '<!-- commands: generated from handlers/commands/registry.ts by `npm run readme:commands` -->';
export const TABLE_END = '<!-- /commands -->';

/** The README's command table, from the registry: who, how it is typed, its alias, what it does. */
export function commandTable(commands: readonly Command[]): string {
  const rows = commands.map((c) => {
    const usage = c.help.readme.usage ?? c.help.usage;
    const also = [...c.words.slice(1), ...(c.staffWords ?? [])];
    return `| ${c.help.readme.who} | \`${usage}\`${also.length ? ` (${also.join(', ')})` : ''} | ${c.aliases.map((a) => `\`${a}\``).join(', ')} | ${c.help.readme.text} |`;
  });
  return [TABLE_START, '| who | command | alias | what it does |', '|---|---|---|---|', ...rows, TABLE_END].join('\n');
}

/** The README with its command table replaced by the registry's. */
export function withCommandTable(readme: string, commands: readonly Command[]): string {
  const i = readme.indexOf(TABLE_START);
  const j = readme.indexOf(TABLE_END);
  if (i < 0 || j < i) throw new Error('README has no generated command table (markers missing)');
  return readme.slice(0, i) + commandTable(commands) + readme.slice(j + TABLE_END.length);
}
