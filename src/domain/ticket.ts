import type { Label, Level } from './levels.ts';
import type { Platform } from './platform.ts';

export type ChatKind = 'group' | 'p2p';

export interface Actor {
  platform: Platform;
  userId: string;
  name: string;
  /** Roster id when the actor is a member of the service team. */
  staffId?: string;
}

/** `merged`: folded into another ticket (`mergedInto`), which carries its reporters from then on. */
export const TICKET_STATUSES = ['open', 'acknowledged', 'dispatched', 'onsite', 'resolved', 'confirmed', 'closed', 'cancelled', 'merged'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const CLOCK_NAMES = ['response', 'arrival', 'resolution', 'backup'] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];

export type ClockOutcome = 'met' | 'breached' | 'cancelled' | 'not-needed';

export interface Clock {
  name: ClockName;
  startedAt: number;
  dueAt: number;
  /** When the milestone happened (or the clock was cancelled); absent while the clock runs. */
  stoppedAt?: number;
  /** Set once the due time passed without the milestone (the deadline; kept by 改级, resolve, re-assign). */
  breachedAt?: number;
  /** Who held the ticket and who was on duty when the deadline passed: the breach, as a fact. */
  breach?: Breach;
  /** The clock ended breached without its milestone ever happening (resolved remotely, closed, cancelled). */
  unmet?: boolean;
  /** How the clock ended; absent while it runs. */
  outcome?: ClockOutcome;
  /** Schedule version: bumped on every reschedule, so timers of an older schedule do nothing. */
  version: number;
  /** The calendar it counts in, when its level says one other than the contract's (levels.X.calendar). */
  calendar?: string;
  /** Paused since (src/domain/sla/pause.ts): the clock stands still, no timers; resume moves its deadline. */
  pausedAt?: number;
  /** While paused: the deadline should the pause run to the policy's cap (after it, the clock is missed). */
  latestDueAt?: number;
  /** Paused time added to `dueAt` so far (the clock's calendar): kept when 改级 recomputes the deadline. */
  credit?: number;
  /** Timer steps of this clock already acted on, whatever the schedule version: never sent twice. */
  fired: string[];
}

export interface Breach {
  /** The moment the deadline passed. */
  at: number;
  /** Roster id of the ticket's holder at that moment, if it had one. */
  assignee?: string;
  /** The engineers on duty at that moment. */
  onDuty: string[];
}

export interface Attachment {
  kind: 'image' | 'file' | 'audio' | 'video' | 'other';
  name?: string;
  /** Platform reference (file key, URL) to fetch the content later. */
  ref: string;
}

/**
 * One entry of a ticket's history. `detail` is what a person wrote (a resolution, a note, a reason)
 * or, for events recorded before the structured fields existed, the whole line; the structured
 * fields let the views word the entry (src/views/ticket.ts).
 */
export interface TicketEvent {
  at: number;
  by: { kind: 'user' | 'staff' | 'bot'; id: string; name: string };
  action: string;
  detail?: string;
  /** created: the classifier's label and confidence. */
  classified?: { label: Level; confidence: number };
  /** level: the change. */
  level?: { from: Level; to: Level };
  /** join, merge, split: the other ticket. */
  ticket?: number;
  /** resume: the paused time credited to the clocks. */
  pausedMs?: number;
  /** resolve: parts replaced. */
  parts?: string[];
  /** rate: the score (the comment is the detail). */
  score?: number;
  /** ack, assign, dispatch: the roster id the ticket is held by from this event on. */
  assignee?: string;
}

/**
 * Someone else who reported the same fault: joined on arrival (./incident/join.ts) or brought in
 * by 合并. They hear what the first reporter hears and may confirm and rate.
 */
export interface CoReporter {
  actor: Actor;
  /** Where they wrote, and their message: what they are told goes there, under it. */
  chat: Ticket['chat'];
  messageId: string;
  at: number;
  text: string;
  via: 'join' | 'merge';
  /** The ticket their report was first, when it came in by 合并. */
  from?: number;
  /** Their report was made its own ticket by 拆分 (kept here so the numbering of 拆分 never shifts). */
  splitTo?: number;
}

export interface FollowUp {
  at: number;
  text: string;
  messageId: string;
  /** Who wrote it (absent on follow-ups stored before: the reporter, or the history entry's author). */
  by?: TicketEvent['by'];
  /** Made its own ticket by 拆分: that ticket's number. */
  splitTo?: number;
  /** Where it was written, when not in the ticket's own chat (a co-reporter's chat). */
  chat?: Ticket['chat'];
}

export interface Ticket {
  n: number;
  /** The contract the ticket falls under (src/domain/contract/contract.ts); `main` for one contract. */
  contract: string;
  level: Level;
  status: TicketStatus;
  reporter: Actor;
  chat: { platform: Platform; chatId: string; kind: ChatKind };
  text: string;
  truncated: boolean;
  classification: { label: Label; confidence: number };
  followUps: FollowUp[];
  /** A pause asked for (`proposed`, waiting for the reporter's 同意) or running (`active`, since `since`). */
  pause?: { state: 'proposed' | 'active'; reason: string; by: TicketEvent['by']; at: number; since?: number; until?: number; capAt?: number };
  /**
   * Pauses that ended, with the time credited to the clocks (`credited`, as the first paused clock
   * counts it) and, per clock moved, its deadline before and the credit it got.
   */
  pauses?: { from: number; to: number; reason: string; by: string; credited: number; clocks?: Partial<Record<ClockName, { dueBefore: number; credit: number }>> }[];
  /** Further reporters of the same fault (absent: only `reporter`). */
  coReporters?: CoReporter[];
  /** Set with status `merged`: the ticket this one was folded into. */
  mergedInto?: number;
  attachments: Attachment[];
  createdAt: number;
  updatedAt: number;
  /** Source message, for replies and dedupe. */
  messageId: string;
  /** Roster id of the engineer in charge. */
  assignee?: string;
  /** What the engineer did (已解决), parts used, backup system, sign-off and rating. */
  resolution?: { at: number; by: string; text: string; parts: string[] };
  backup?: { at: number; by: string; text: string };
  signoff?: { at: number; by: string; name: string };
  rating?: { at: number; score: number; comment: string };
  closeReason?: string;
  /** Unguessable token of the printable service report page (/reports/<n>?t=…). */
  reportToken?: string;
  /** When the reporter was reminded to sign the service report (once). */
  signoffRemindedAt?: number;
  clocks: Partial<Record<ClockName, Clock>>;
  history: TicketEvent[];
}

export function isOpen(t: Ticket): boolean {
  return !['resolved', 'confirmed', 'closed', 'cancelled', 'merged'].includes(t.status);
}

/**
 * Who held the ticket at `at`: the last event at or before it that set the holder. Tickets stored
 * before events carried the holder fall back to the current one.
 */
export function holderAt(t: Ticket, at: number): string | undefined {
  if (!t.history.some((h) => h.assignee !== undefined)) return t.assignee;
  let holder: string | undefined;
  for (const h of t.history) {
    if (h.at > at) break;
    if (h.assignee !== undefined) holder = h.assignee;
    // Events stored before they carried the holder: 接单 / 上门 by staff made them the holder.
    else if (holder === undefined && (h.action === 'ack' || h.action === 'dispatch') && h.by.kind === 'staff') holder = h.by.id;
  }
  return holder;
}

/** Every roster id that ever held the ticket. */
export function holders(t: Ticket): string[] {
  const ids = t.history.map((h) => h.assignee).filter((x): x is string => !!x);
  return [...new Set(t.assignee ? [...ids, t.assignee] : ids)];
}

export function openClocks(t: Ticket): Clock[] {
  return Object.values(t.clocks).filter((c): c is Clock => !!c && c.stoppedAt === undefined);
}

/** Everyone who reported the ticket's fault: the first reporter, then the others in order. */
export function reportersOf(t: Ticket): Actor[] {
  return [t.reporter, ...coReportersOf(t).map((c) => c.actor)];
}

/** The co-reporters who still report this fault (a report split out to its own ticket is not one). */
export function coReportersOf(t: Pick<Ticket, 'coReporters'>): CoReporter[] {
  return (t.coReporters ?? []).filter((c) => c.splitTo === undefined);
}

/** Whether this platform user reported the ticket's fault (first or later). */
export function reportedBy(t: Ticket, platform: Platform, userId: string): boolean {
  return reportersOf(t).some((a) => a.platform === platform && a.userId === userId);
}
