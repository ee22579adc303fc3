import type { Label, Level } from './levels.ts';
import type { Platform } from './policy.ts';

export type ChatKind = 'group' | 'p2p';

export interface Actor {
  platform: Platform;
  userId: string;
  name: string;
  /** Roster id when the actor is a member of the service team. */
  staffId?: string;
}

export const TICKET_STATUSES = ['open', 'acknowledged', 'dispatched', 'onsite', 'resolved', 'confirmed', 'closed', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const CLOCK_NAMES = ['response', 'arrival', 'resolution', 'backup'] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];

export interface Clock {
  name: ClockName;
  startedAt: number;
  dueAt: number;
  /** When the milestone happened; absent while the clock runs. */
  stoppedAt?: number;
  /** Set once the due time passed without the milestone. */
  breachedAt?: number;
}

export interface Attachment {
  kind: 'image' | 'file' | 'audio' | 'video' | 'other';
  name?: string;
  /** Platform reference (file key, URL) to fetch the content later. */
  ref: string;
}

export interface TicketEvent {
  at: number;
  by: { kind: 'user' | 'staff' | 'bot'; id: string; name: string };
  action: string;
  detail?: string;
}

export interface Ticket {
  n: number;
  level: Level;
  status: TicketStatus;
  reporter: Actor;
  chat: { platform: Platform; chatId: string; kind: ChatKind };
  text: string;
  truncated: boolean;
  classification: { label: Label; confidence: number };
  followUps: { at: number; text: string; messageId: string }[];
  attachments: Attachment[];
  createdAt: number;
  updatedAt: number;
  /** Source message, for replies and dedupe. */
  messageId: string;
  assignee?: string;
  clocks: Partial<Record<ClockName, Clock>>;
  history: TicketEvent[];
}

export function isOpen(t: Ticket): boolean {
  return !['resolved', 'confirmed', 'closed', 'cancelled'].includes(t.status);
}

export function openClocks(t: Ticket): Clock[] {
  return Object.values(t.clocks).filter((c): c is Clock => !!c && c.stoppedAt === undefined);
}
