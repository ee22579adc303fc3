import type { Redis } from 'ioredis';
import type { Platform } from '../domain/platform.ts';
import { MAIN_CONTRACT } from '../domain/contract/contract.ts';
import { commitLua, commitParts, markKey, MARK_TTL_S, type Commit } from './commit.ts';
import type { Ticket } from '../domain/ticket.ts';
import { isOpen, reportersOf } from '../domain/ticket.ts';
import { lastReportAt } from '../domain/incident/incident.ts';
import { evalLua } from '../redis/lua-script.ts';

const K = {
  seq: 'as:ticket:seq',
  ticket: (n: number) => `as:ticket:${n}`,
  all: 'as:tickets:all',
  open: 'as:tickets:open',
  reporter: (p: Platform, id: string) => `as:reporter:${p}:${id}`,
  /** Open tickets by their last report (first report, a join, a follow-up): where an incident's new reports look. */
  reported: 'as:tickets:reported',
  msg: markKey,
};

/**
 * Claims a number for the ticket a platform message creates. Idempotent per message: a retried or
 * replayed message gets the same number back (`existing: true`), so it never makes a second ticket,
 * and a crash between claim and save is repaired by the retry.
 */
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if v then return {tonumber(v), 1} end
local n = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], n, 'EX', ARGV[1])
return {n, 0}`;

/**
 * Compare-and-set of a ticket with its indexes, and the commit of the message that changed it.
 * KEYS: ticket, all, open, reported, then ARGV[7] reporter indexes to add (the first reporter's and
 * every co-reporter's: each finds the ticket among "their" tickets), ARGV[8] to remove (reporters
 * who took their report back or were split out), then the commit's keys. ARGV[9]: the last report.
 */
const CAS = `
if ARGV[1] == '1' and redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
if ARGV[6] == '1' then
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
  redis.call('ZADD', KEYS[4], ARGV[9], ARGV[5])
else
  redis.call('ZREM', KEYS[3], ARGV[5])
  redis.call('ZREM', KEYS[4], ARGV[5])
end
local r = tonumber(ARGV[7])
local q = tonumber(ARGV[8])
for i = 5, 4 + r do redis.call('ZADD', KEYS[i], ARGV[4], ARGV[5]) end
for i = 5 + r, 4 + r + q do redis.call('ZREM', KEYS[i], ARGV[5]) end
${commitLua('5 + r + q', 10)}
return 1`;

/** A stored ticket as today's type: tickets written before a field existed get its default. */
function parse(raw: string): Ticket {
  const t = JSON.parse(raw) as Ticket;
  t.contract ??= MAIN_CONTRACT;
  return t;
}

/** What runs after a ticket is stored or changed (the SLA engine schedules its timers there). */
export interface TicketHooks {
  created?(t: Ticket): Promise<void>;
  changed?(before: Ticket, after: Ticket): Promise<void>;
}

export class TicketStore {
  constructor(private readonly redis: Redis) {}

  async claimNumber(platform: Platform, messageId: string): Promise<{ n: number; existing: boolean }> {
    const [n, existing] = (await evalLua(this.redis, CLAIM, 2, K.msg(platform, messageId), K.seq, MARK_TTL_S)) as [number, number];
    return { n, existing: existing === 1 };
  }

  /** What a message left as its mark when its effects were stored (a claimed number, `follow-up:12` …), if anything. */
  async messageSeen(platform: Platform, messageId: string): Promise<string | null> {
    return this.redis.get(K.msg(platform, messageId));
  }

  async get(n: number): Promise<Ticket | undefined> {
    const raw = await this.redis.get(K.ticket(n));
    return raw ? parse(raw) : undefined;
  }

  /** Saves a ticket with its indexes, unconditionally (creation), with the commit of the message that made it. */
  async save(t: Ticket, commit?: Commit): Promise<void> {
    await this.write(t, null, commit);
  }

  /**
   * Compare-and-set in one Lua call: writes `t` and its indexes only if the stored JSON is still
   * `expected` (null = don't check). Safe on a shared connection and across instances, unlike WATCH.
   */
  private async write(t: Ticket, expected: string | null, commit?: Commit): Promise<boolean> {
    const c = commitParts(commit, t.updatedAt);
    const reporters = [...new Set(reportersOf(t).map((a) => K.reporter(a.platform, a.userId)))];
    const before = expected ? reportersOf(parse(expected)).map((a) => K.reporter(a.platform, a.userId)) : [];
    const gone = [...new Set(before.filter((k) => !reporters.includes(k)))];
    const keys = [K.ticket(t.n), K.all, K.open, K.reported, ...reporters, ...gone, ...c.keys];
    const argv = [expected === null ? '0' : '1', expected ?? '', JSON.stringify(t), String(t.createdAt), String(t.n), isOpen(t) ? '1' : '0', String(reporters.length), String(gone.length), String(lastReportAt(t))];
    const ok = await evalLua(this.redis, CAS, keys.length, ...keys, ...argv, ...c.argv);
    return ok === 1;
  }

  /** Read-modify-write with optimistic retries. `fn` returns the new ticket, or undefined to leave it. */
  async update(n: number, fn: (t: Ticket) => Ticket | undefined): Promise<Ticket | undefined> {
    return (await this.change(n, (t) => {
      const next = fn(t);
      return next ? { next } : undefined;
    }))?.after;
  }

  /**
   * Read-modify-write with optimistic retries, with the commit of the message that makes the change
   * (computed from the same state, in the same atomic write). `fn` returns the new ticket and its
   * commit, or undefined to leave the ticket; the result says what the ticket was and became.
   */
  async change<T extends { next: Ticket; commit?: Commit }>(n: number, fn: (t: Ticket) => T | undefined): Promise<{ before: Ticket; after: Ticket; result?: T } | undefined> {
    // One change of a ticket at a time in this process, in arrival order: 500 teachers joining one
    // incident within seconds made every write race the others (each losing attempt re-reads and
    // re-sends the whole, growing ticket), p99 up to 16 s and some out of attempts. The
    // compare-and-set below stays for other processes. `fn` is synchronous: no change nests.
    const prev = this.changing.get(n);
    const run = prev ? prev.then(() => this.changeNow(n, fn)) : this.changeNow(n, fn);
    const tail = run.then(() => {}, () => {});
    this.changing.set(n, tail);
    void tail.then(() => {
      if (this.changing.get(n) === tail) this.changing.delete(n);
    });
    return run;
  }

  private readonly changing = new Map<number, Promise<void>>();

  private async changeNow<T extends { next: Ticket; commit?: Commit }>(n: number, fn: (t: Ticket) => T | undefined): Promise<{ before: Ticket; after: Ticket; result?: T } | undefined> {
    for (let attempt = 0; attempt < 50; attempt++) {
      // Losers of a race with another process wait a random little while before the next try (up to 64 ms).
      if (attempt >= 2) await new Promise((r) => setTimeout(r, Math.random() * Math.min(64, 2 ** attempt)));
      const raw = await this.redis.get(K.ticket(n));
      if (!raw) return undefined;
      const current = parse(raw);
      const r = fn(current);
      if (!r) return { before: current, after: current };
      if (await this.write(r.next, raw, r.commit)) return { before: current, after: r.next, result: r };
    }
    throw new Error(`ticket #${n}: too much contention`);
  }

  /** The reporter's tickets, newest first. */
  async byReporter(platform: Platform, userId: string, limit = 20): Promise<Ticket[]> {
    const ns = await this.redis.zrevrange(K.reporter(platform, userId), 0, limit - 1);
    return this.many(ns.map(Number));
  }

  async openTickets(): Promise<Ticket[]> {
    return this.many(await this.openNumbers());
  }

  /** Numbers of the open tickets, oldest first (to read them page by page). */
  async openNumbers(): Promise<number[]> {
    return (await this.redis.zrange(K.open, '0', '-1')).map(Number);
  }

  /** Tickets created in [from, to) (UTC ms). */
  async createdBetween(from: number, to: number): Promise<Ticket[]> {
    const ns = await this.redis.zrangebyscore(K.all, from, `(${to}`);
    return this.many(ns.map(Number));
  }

  /**
   * Open tickets last reported at or after `from` (first report, a join, a follow-up), newest
   * first, at most `limit`: the incidents a new report may be part of, however old they are.
   * Tickets stored before this index existed are found by their creation time until their next write.
   */
  async reportedSince(from: number, limit: number): Promise<Ticket[]> {
    const [recent, created] = await Promise.all([this.redis.zrevrangebyscore(K.reported, '+inf', from, 'LIMIT', 0, limit), this.redis.zrevrangebyscore(K.all, '+inf', from, 'LIMIT', 0, limit)]);
    return this.many([...new Set([...recent, ...created])].map(Number));
  }

  async count(): Promise<number> {
    return this.redis.zcard(K.all);
  }

  async many(ns: number[]): Promise<Ticket[]> {
    if (!ns.length) return [];
    const raws = await this.redis.mget(ns.map(K.ticket));
    return raws.filter((r): r is string => !!r).map(parse);
  }
}
