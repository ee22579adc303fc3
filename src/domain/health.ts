/** Outage bookkeeping for one health check, pure: one ticket per outage, not per failed probe. */
export interface HealthState {
  failures: number;
  /** First failure of the current run of failures. */
  failingSince?: number;
  /** The ticket opened for the current outage. */
  ticket?: number;
}

export type HealthAction = { kind: 'none' } | { kind: 'open'; since: number } | { kind: 'recovered'; ticket: number; since: number };

export function nextHealth(prev: HealthState, ok: boolean, now: number, threshold: number): { state: HealthState; action: HealthAction } {
  if (ok) {
    if (prev.ticket !== undefined) return { state: { failures: 0 }, action: { kind: 'recovered', ticket: prev.ticket, since: prev.failingSince ?? now } };
    return { state: { failures: 0 }, action: { kind: 'none' } };
  }
  const failures = prev.failures + 1;
  const failingSince = prev.failingSince ?? now;
  if (prev.ticket === undefined && failures >= threshold) return { state: { failures, failingSince }, action: { kind: 'open', since: failingSince } };
  return { state: { ...prev, failures, failingSince }, action: { kind: 'none' } };
}
