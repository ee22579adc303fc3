/**
 * Per-person flood control, pure: a sliding window of message times. A person who sends more than
 * `limit` messages in `windowMs` gets one polite notice, and their further messages in that window
 * make no tickets (a stuck phone, a copy-paste loop, a prank).
 */
export interface FloodDecision {
  allowed: boolean;
  /** True for the first refused message of a window: tell the person once. */
  notify: boolean;
}

export function floodDecision(recent: number[], now: number, limit: number, windowMs: number, notifiedAt: number | undefined): FloodDecision {
  const inWindow = recent.filter((t) => now - t < windowMs).length;
  if (inWindow < limit) return { allowed: true, notify: false };
  return { allowed: false, notify: notifiedAt === undefined || now - notifiedAt >= windowMs };
}
