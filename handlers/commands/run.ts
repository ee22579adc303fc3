import { parseCommandWith, wordTable, type CommandWord, type ParsedCommand } from '../../src/domain/command-parse.ts';
import { staffOfSender } from '../../src/domain/contract/roster.ts';
import type { IncomingMessage, Outgoing } from '../../src/domain/messages.ts';
import { zh } from '../../src/views/zh.ts';
import type { Services } from '../services.ts';
import { contextFor, type Command } from './command.ts';

/** A registry of commands made usable: the word table for the parser, lookup by name. */
export class CommandSet {
  private readonly table: CommandWord[];
  private readonly byName: Map<string, Command>;
  /** Words that are commands only from staff (lower-cased NFKC, as in the table). */
  private readonly staffOnly: Set<string>;

  constructor(readonly commands: readonly Command[]) {
    this.table = wordTable(commands.flatMap((c) => [...c.words, ...c.aliases, ...(c.staffWords ?? [])].map((w): CommandWord => [w, c.name])));
    this.staffOnly = new Set(commands.flatMap((c) => c.staffWords ?? []).map((w) => w.normalize('NFKC').toLowerCase()));
    this.byName = new Map(commands.map((c) => [c.name, c]));
    if (this.byName.size !== commands.length) throw new Error('two commands share a name');
  }

  /** The registered command at the start of the text, if any. */
  parse(text: string): ParsedCommand | undefined {
    return parseCommandWith(text, this.table);
  }

  /** Whether the command was typed with one of the words that count only from staff. */
  staffWord(cmd: ParsedCommand): boolean {
    return !!cmd.word && this.staffOnly.has(cmd.word);
  }

  get(name: string): Command | undefined {
    return this.byName.get(name);
  }
}

/**
 * Commands typed in chat (or sent by a card button). Returns undefined when the text is not a
 * command, so intake takes it. In groups a command needs no mention: it starts with the word.
 * Staff are recognised only by platform user id from the roster.
 */
export async function handleCommand(msg: IncomingMessage, text: string, s: Services, commands: CommandSet): Promise<Outgoing[] | undefined> {
  const cmd = commands.parse(text);
  const command = cmd && commands.get(cmd.name);
  if (!cmd || !command) return undefined;
  const staff = staffOfSender(s.policy, msg.platform, msg.sender.userId, msg.staffId);
  if (!staff && commands.staffWord(cmd)) return undefined; // "修好了" from a teacher is just words
  const ctx = contextFor(msg, s, cmd, staff, commands.commands);
  if (command.who === 'staff' && !staff) {
    s.log.warn({ platform: msg.platform, userId: msg.sender.userId, command: cmd.name }, 'staff command refused: sender not on the roster');
    return ctx.reply(zh.cmd.staffOnly(command.words[0]!));
  }
  return command.run(ctx);
}
