import type { RosterMember } from '../../src/domain/contract/policy.ts';
import type { ParsedCommand } from '../../src/domain/command-parse.ts';
import { replyTo, toReporters, type Destination, type IncomingMessage, type Outgoing, type OutgoingMessage } from '../../src/domain/messages.ts';
import { reportedBy, type Ticket } from '../../src/domain/ticket.ts';
import type { Services } from '../services.ts';

/**
 * One chat command, declared in one file (in the spirit of grammY's `composer.command`): the words
 * people type, who may use it, what it does and how it is explained. The registry
 * (./registry.ts) lists them; the parser, the staff check, 帮助 and the README's command table
 * are all built from it.
 */
export interface Command {
  /** Internal name: logs, the message's dedupe mark. */
  readonly name: string;
  /** What people type: Chinese words first (the first is the one shown), then slash aliases. */
  readonly words: readonly string[];
  readonly aliases: readonly string[];
  /**
   * Everyday words that are this command only when staff type them (修好了, 到了): from a teacher
   * they are ordinary words, and intake reads them.
   */
  readonly staffWords?: readonly string[];
  /** Who may use it at all: roster members only, or anyone (ticket-level checks are the command's). */
  readonly who: 'staff' | 'anyone';
  readonly help: CommandHelp;
  run(ctx: CommandContext): Promise<Outgoing[]>;
}

export interface CommandHelp {
  /** How it is typed, e.g. `派单 #N 张天慧`. */
  usage: string;
  /** Its line in the staff's 帮助 (absent: not listed there). */
  staff?: string;
  /** Its line in the teachers' 帮助. */
  teacher?: string;
  /** README's command table: who uses it and what it does (English). */
  readme: { who: 'staff' | 'teacher' | 'everyone'; usage?: string; text: string };
}

export interface CommandContext {
  msg: IncomingMessage;
  s: Services;
  cmd: ParsedCommand;
  /** The sender's roster entry, proven by platform id (never by name). */
  staff: RosterMember | undefined;
  now: number;
  /** Every registered command (帮助 lists them). */
  commands: readonly Command[];
  /** Under the message the command came in. */
  here: Destination;
  reply(text: string): Outgoing[];
}

export function defineCommand(c: Command): Command {
  return c;
}

/** The first reporter or any teacher who reported the same fault (joined or merged in). */
export const isReporter = (t: Ticket, msg: IncomingMessage): boolean => reportedBy(t, msg.platform, msg.sender.userId);

/**
 * Who hears about a step: the person who typed the command (in that chat), every reporter (in
 * their chat, under their report, unless the command was typed there: then the reply is enough),
 * the team group.
 */
export function audience(ctx: CommandContext, t: Ticket): {
  out: Outgoing[];
  say(text: string): void;
  tellReporter(text: string, card?: OutgoingMessage['card']): void;
  toReporterChat(msg: OutgoingMessage): void;
  toTeam(text: string): void;
  to(dest: Destination, msg: OutgoingMessage): void;
  /** Every reporter's chat, under their report. */
  reporterChats: Destination[];
} {
  const out: Outgoing[] = [];
  const reporterChats = toReporters(t);
  const here = (d: Destination) => d.to === 'origin' && d.platform === ctx.msg.platform && d.chatId === ctx.msg.chatId;
  return {
    out,
    say: (text) => out.push({ dest: ctx.here, msg: { text } }),
    tellReporter: (text, card) => {
      for (const dest of reporterChats) if (!here(dest)) out.push({ dest, msg: { text, ...(card ? { card } : {}) } });
    },
    toReporterChat: (msg) => {
      for (const dest of reporterChats) out.push({ dest, msg });
    },
    toTeam: (text) => out.push({ dest: { to: 'team' }, msg: { text } }),
    to: (dest, msg) => out.push({ dest, msg }),
    reporterChats,
  };
}

export function contextFor(msg: IncomingMessage, s: Services, cmd: ParsedCommand, staff: RosterMember | undefined, commands: readonly Command[]): CommandContext {
  const here = replyTo(msg);
  return { msg, s, cmd, staff, now: s.now(), commands, here, reply: (text) => [{ dest: here, msg: { text } }] };
}

