import type { Redis } from 'ioredis';
import type { Platform } from '../domain/platform.ts';
import { commitInMulti, type Commit } from './commit.ts';

/** A question the bot answered itself from the knowledge base (a consult with no SLA clock). */
export interface BotAnswer {
  platform: Platform;
  chatId: string;
  userId: string;
  name: string;
  question: string;
  entryId: string;
  title: string;
  score: number;
  at: number;
  messageId: string;
  /** The ticket opened when the teacher asked for a person (转人工 / 没解决). */
  handedOffTo?: number;
}

const LOG = 'as:answers:log';
const BY_ENTRY = 'as:stats:answers:by-entry';
const TOTAL = 'as:stats:answers:total';
const HANDOFFS = 'as:stats:answers:handoffs';
const last = (p: Platform, chat: string, user: string) => `as:answer:last:${p}:${chat}:${user}`;

/** Bot answers: a capped log for statistics, counters, and each person's last answer per chat. */
export class AnswerStore {
  constructor(private readonly redis: Redis, private readonly handoffWindowMs: number) {}

  /** Records an answer, with the commit of the message it answers (in one step). */
  async record(a: BotAnswer, commit?: Commit): Promise<void> {
    const json = JSON.stringify(a);
    const m = this.redis
      .multi()
      .lpush(LOG, json)
      .ltrim(LOG, 0, 9999)
      .hincrby(BY_ENTRY, a.entryId, 1)
      .incr(TOTAL)
      .set(last(a.platform, a.chatId, a.userId), json, 'PX', Math.max(1000, this.handoffWindowMs));
    await (commit ? commitInMulti(m, commit, a.at) : m).exec();
  }

  /** The person's last answer in this chat, if still within the hand-off window and not handed off. */
  async lastFor(p: Platform, chat: string, user: string): Promise<BotAnswer | undefined> {
    const raw = await this.redis.get(last(p, chat, user));
    const a = raw ? (JSON.parse(raw) as BotAnswer) : undefined;
    return a && a.handedOffTo === undefined ? a : undefined;
  }

  async markHandedOff(a: BotAnswer, n: number): Promise<void> {
    await this.redis.multi().set(last(a.platform, a.chatId, a.userId), JSON.stringify({ ...a, handedOffTo: n }), 'KEEPTTL').incr(HANDOFFS).exec();
  }

  async stats(): Promise<{ total: number; handoffs: number; byEntry: Record<string, number> }> {
    const [total, handoffs, byEntry] = await Promise.all([this.redis.get(TOTAL), this.redis.get(HANDOFFS), this.redis.hgetall(BY_ENTRY)]);
    return { total: Number(total ?? 0), handoffs: Number(handoffs ?? 0), byEntry: Object.fromEntries(Object.entries(byEntry).map(([k, v]) => [k, Number(v)])) };
  }
}
