import { contractFor } from '../domain/contract/contract.ts';
import type { Policy } from '../domain/contract/policy.ts';
import type { Refusal } from '../domain/lifecycle.ts';
import type { Ticket } from '../domain/ticket.ts';
import { statusName } from './ticket.ts';
import { zh } from './zh.ts';

/** A refused lifecycle step, in words. */
export function refusalText(r: Refusal, t: Pick<Ticket, 'n' | 'contract'>, p: Policy): string {
  const n = `#${t.n}`;
  const z = zh.refusal;
  switch (r.code) {
    case 'ended': return z.ended(n, statusName(r.status));
    case 'already-acked': return z.alreadyAcked(n);
    case 'already-assigned': return z.alreadyAssigned(n, r.toName);
    case 'already-dispatched': return z.alreadyDispatched(n);
    case 'already-arrived': return z.alreadyArrived(n);
    case 'not-dispatched': return z.notDispatched(n);
    case 'already-resolved': return z.alreadyResolved(n);
    case 'resolution-missing': return z.resolutionMissing(n);
    case 'backup-not-started': return z.backupNotStarted(n);
    case 'backup-recorded': return z.backupRecorded(n);
    case 'same-level': return z.sameLevel(n, contractFor(p, t).levels[r.level].name);
    case 'note-missing': return z.noteMissing(n);
    case 'reply-missing': return z.replyMissing(n);
    case 'still-open': return z.stillOpen(n);
    case 'already-confirmed': return z.alreadyConfirmed(n);
    case 'confirm-too-early': return z.confirmTooEarly(n);
    case 'rate-too-early': return z.rateTooEarly(n);
    case 'engineer-working': return z.engineerWorking(n);
    case 'already-paused': return r.proposed ? zh.pause.alreadyProposed(n) : zh.pause.alreadyPaused(n);
    case 'nothing-to-pause': return r.overdue ? zh.pause.overdue(n) : zh.pause.nothingToPause(n);
    case 'pause-until-past': return zh.pause.untilPast(n);
    case 'pause-cap': return zh.pause.cap(n);
    case 'no-pause-proposed': return zh.pause.noneProposed(n);
    case 'not-paused': return zh.pause.notPaused(n);
  }
}
