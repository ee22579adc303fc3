import type { RosterMember } from '../../src/domain/contract/policy.ts';
import type { Outgoing } from '../../src/domain/messages.ts';
import { zh } from '../../src/views/zh.ts';
import type { CommandContext } from './command.ts';

/**
 * The roster member a command names (`上门 #N 张天慧`, `派单 #N zhangtianhui`): by name or roster
 * id. Nothing written: no member (the command decides who). An unknown name is answered with
 * the names to choose from.
 */
export function memberByName(ctx: CommandContext, args: string): { member: RosterMember | undefined } | { out: Outgoing[] } {
  const name = args.replace(/^(给|让|派|to)\s*/i, '').trim().split(/\s+/)[0] ?? '';
  if (!name) return { member: undefined };
  const roster = ctx.s.policy.roster;
  const m = roster.find((r) => r.name === name || r.id === name.toLowerCase());
  if (m) return { member: m };
  const engineers = roster.filter((r) => r.roles.includes('engineer') || r.roles.includes('lead') || r.roles.includes('deputy'));
  return { out: ctx.reply(zh.cmd.unknownMember(name, engineers.map((e) => e.name).join('、'))) };
}
