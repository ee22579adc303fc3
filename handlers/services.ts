import type { Logger } from 'pino';
import type { Classification } from '../src/domain/classifier/classifier.ts';
import type { Policy } from '../src/domain/contract/policy.ts';
import type { KbDecision } from '../src/domain/knowledge/decide.ts';
import type { FactContext } from '../src/domain/knowledge/facts.ts';
import type { Ticket } from '../src/domain/ticket.ts';
import type { AnswerStore } from '../src/store/answers.ts';
import type { FloodGuard } from '../src/store/flood-guard.ts';
import type { InspectionStore } from '../src/store/inspections.ts';
import type { PendingAttachments } from '../src/store/pending-attachments.ts';
import type { TicketHooks, TicketStore } from '../src/store/tickets.ts';

/** What every handler may use. Handlers return what to say; the outbox delivers it. */
export interface Services {
  policy: Policy;
  store: TicketStore;
  pending: PendingAttachments;
  classify(text: string): Classification;
  now(): number;
  log: Logger;
  hooks: TicketHooks;
  knowledge: { decide(question: string, policy: Policy, context?: FactContext): KbDecision; reload(): { entries: number; errors: string[] } };
  answers: AnswerStore;
  inspections: InspectionStore;
  flood: FloodGuard;
  /** The storm limit per chat (jobs/storm-summary.ts): `summary` when the team's notice of this ticket is folded into a summary. */
  storm: { admit(t: Ticket, now: number): Promise<'notice' | 'summary'> };
  /** The printable service report's link for a ticket, when the bot has a base URL. */
  reportLink?: (t: Ticket) => string | undefined;
}
