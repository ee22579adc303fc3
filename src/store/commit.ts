import type { ChainableCommander } from 'ioredis';
import { outboxKeyOf, type IncomingMessage, type Outgoing } from '../domain/messages.ts';
import type { Platform } from '../domain/platform.ts';

/** Where the messages a handled message says wait until they are delivered. */
export const PENDING_OUTBOX = 'as:outbox:pending';

/** How long a platform message's mark is kept (platform retries come within minutes). */
export const MARK_TTL_S = 24 * 3600;

export const markKey = (platform: Platform, messageId: string): string => `as:msg:${platform}:${messageId}`;
export const inboxKey = (platform: Platform, messageId: string): string => `as:inbox:${platform}:${messageId}`;

/**
 * What handling a message leaves behind, written in the same atomic step as its ticket change
 * (or its other record), so a crash leaves either all of it or none of it: the message's mark
 * (what it did, so a re-run after a crash replays instead of doing it again), the messages it says
 * (kept until delivered; the outbox relay sends them if the process died first), and what it used
 * up (attachments kept for the next report).
 */
export interface Commit {
  mark?: { platform: Platform; messageId: string; value: string };
  /** `inbox`: the inbox key of the message being answered, so the relay can tell a live attempt from one that died. */
  outbox?: { key: string; items: Outgoing[]; inbox?: string };
  consumed?: string[];
}

export interface PendingOutbox {
  items: Outgoing[];
  at: number;
  inbox?: string;
}

/** The commit of a handled message: its mark (when it did something a re-run must not redo) and its replies. */
export function messageCommit(msg: Pick<IncomingMessage, 'platform' | 'messageId'>, items: Outgoing[], mark?: string): Commit {
  return {
    ...(mark ? { mark: { platform: msg.platform, messageId: msg.messageId, value: mark } } : {}),
    outbox: { key: outboxKeyOf(msg), items, inbox: inboxKey(msg.platform, msg.messageId) },
  };
}

function pendingJson(o: NonNullable<Commit['outbox']>, now: number): string {
  return JSON.stringify({ items: o.items, at: now, ...(o.inbox ? { inbox: o.inbox } : {}) } satisfies PendingOutbox);
}

/** The commit as Lua script arguments: keys (mark key, then consumed keys) and argv (mark value, outbox key, outbox JSON). */
export function commitParts(c: Commit | undefined, now: number): { keys: string[]; argv: string[] } {
  const mark = c?.mark ? markKey(c.mark.platform, c.mark.messageId) : PENDING_OUTBOX; // an unused placeholder key
  return {
    keys: [PENDING_OUTBOX, mark, ...(c?.consumed ?? [])],
    argv: [c?.mark?.value ?? '', c?.outbox?.key ?? '', c?.outbox ? pendingJson(c.outbox, now) : '', String(MARK_TTL_S)],
  };
}

/**
 * The Lua that applies a commit; `k` and `a` are the indexes of its first key and argument in the
 * enclosing script (after the script's own); `k` may be a Lua expression (a variable key count).
 */
export function commitLua(k: number | string, a: number): string {
  return `
if ARGV[${a + 1}] ~= '' then redis.call('HSET', KEYS[${k}], ARGV[${a + 1}], ARGV[${a + 2}]) end
if ARGV[${a}] ~= '' then redis.call('SET', KEYS[(${k}) + 1], ARGV[${a}], 'EX', ARGV[${a + 3}]) end
for i = (${k}) + 2, #KEYS do redis.call('DEL', KEYS[i]) end`;
}

/** The same commit inside a MULTI (records that need no compare-and-set). */
export function commitInMulti(m: ChainableCommander, c: Commit, now: number): ChainableCommander {
  if (c.outbox) m.hset(PENDING_OUTBOX, c.outbox.key, pendingJson(c.outbox, now));
  if (c.mark) m.set(markKey(c.mark.platform, c.mark.messageId), c.mark.value, 'EX', MARK_TTL_S);
  for (const k of c.consumed ?? []) m.del(k);
  return m;
}
