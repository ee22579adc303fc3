import type { Label } from '../levels.ts';

/** How much stronger a match must be for a message the classifier took for chatter. */
export const CHATTER_MARGIN = 0.15;

/**
 * The score a knowledge-base match counts for, given the classifier's label: a message that reads
 * as chatter must match clearly better than a question does. (Fault reports never reach the
 * knowledge base in chat: they get a ticket — handlers/consult.ts.)
 */
export function gateScore(label: Label, score: number): number {
  return label === 'none' ? Math.max(0, score - CHATTER_MARGIN) : score;
}
