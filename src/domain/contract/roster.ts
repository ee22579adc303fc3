import type { Platform } from '../platform.ts';
import type { ChatConfig, Policy, Role, RosterMember } from './policy.ts';

/** Authorisation is by platform user id from the roster, never by display name. */
export function staffByPlatformId(policy: Policy, platform: Platform, userId: string): RosterMember | undefined {
  return policy.roster.find((m) => m.ids[platform] === userId);
}

/** The roster member who sent a message: proven by the adapter (binding), or by the roster's ids. */
export function staffOfSender(policy: Policy, platform: Platform, userId: string, boundStaffId?: string): RosterMember | undefined {
  return (boundStaffId ? memberById(policy, boundStaffId) : undefined) ?? staffByPlatformId(policy, platform, userId);
}

export function memberById(policy: Policy, id: string): RosterMember | undefined {
  return policy.roster.find((m) => m.id === id);
}

export function membersWithRole(policy: Policy, role: Role): RosterMember[] {
  return policy.roster.filter((m) => m.roles.includes(role));
}

export function chatByPlatformId(policy: Policy, platform: Platform, chatId: string): ChatConfig | undefined {
  return policy.chats.find((c) => c.ids[platform] === chatId);
}

export function chatsWithRole(policy: Policy, role: ChatConfig['role']): ChatConfig[] {
  return policy.chats.filter((c) => c.role === role);
}
