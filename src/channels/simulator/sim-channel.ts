import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Policy } from '../../domain/contract/policy.ts';
import type { OutgoingMessage } from '../../domain/messages.ts';
import type { Channel, MessageSink, PlatformTarget } from '../types.ts';
import { evalLua } from '../../redis/lua-script.ts';

/** One line of a simulated chat, as the simulator API returns it. */
export interface SimMessage {
  id: string;
  chat: string;
  from: { id: string; name: string };
  text: string;
  ts: number;
  card?: OutgoingMessage['card'];
  replyTo?: string;
  attachments?: { kind: string; name?: string; ref: string }[];
}

export const postBodySchema = z
  .object({
    chat: z.string().min(1).max(200),
    user: z.object({ id: z.string().min(1).max(100), name: z.string().min(1).max(100) }),
    text: z.string().max(200_000),
    mention: z.boolean().optional().default(false),
    /** The id of the message this one replies to (quotes), in the same chat. */
    replyTo: z.string().min(1).max(200).optional(),
    attachments: z
      .array(z.object({ kind: z.enum(['image', 'file', 'audio', 'video', 'other']), name: z.string().max(300).optional(), ref: z.string().min(1).max(2000) }))
      .max(20)
      .optional(),
  })
  .strict();
export type PostBody = z.output<typeof postBodySchema>;

export class SimError extends Error {
  constructor(readonly status: 400 | 404, message: string) {
    super(message);
  }
}

const HISTORY = 2000;
const EVENTS = 'as:sim:events';
export const BOT_ID = 'bot';

/**
 * The bot's line in a chat, in one step with its idempotency key: a key already sent appends
 * nothing (a safety-net resend or a relay after a crash), so every message appears exactly once.
 */
const SEND = `
if ARGV[5] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
local id = 'm-' .. redis.call('INCR', KEYS[2])
local line = string.gsub(ARGV[1], '"__ID__"', '"' .. id .. '"', 1)
redis.call('RPUSH', KEYS[1], line)
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('PUBLISH', ARGV[3], line)
if ARGV[4] ~= '' then redis.call('SADD', KEYS[3], ARGV[4]) end
if ARGV[5] == '1' then redis.call('SET', KEYS[4], '1', 'EX', 86400) end
return 1`;

/**
 * The local chat simulator: a `school` group, a `team` group and a private chat per person, kept
 * in Redis so the page shows history after a restart. It is a Channel like Feishu or WeChat.
 */
export class SimChannel implements Channel {
  readonly platform = 'sim' as const;
  readonly sendsOnce = true;
  private sink: MessageSink | undefined;
  private readonly events = new EventEmitter();
  /** Live updates come through Redis pub/sub: a worker process may post the bot's messages. */
  private sub: Redis | undefined;

  constructor(private readonly redis: Redis, private readonly policy: () => Policy, private readonly now: () => number) {
    this.events.setMaxListeners(0);
  }

  async start(onMessage: MessageSink): Promise<void> {
    this.sink = onMessage;
  }

  async stop(): Promise<void> {
    this.sink = undefined;
    this.events.removeAllListeners();
    this.sub?.disconnect();
    this.sub = undefined;
  }

  groupChats(): { id: string; name: string }[] {
    return this.policy().chats.filter((c) => c.ids.sim).map((c) => ({ id: c.ids.sim!, name: c.name }));
  }

  /** Known chat ids: the policy's groups and `p2p:<user id>`. */
  chatKind(chat: string): 'group' | 'p2p' | undefined {
    if (/^p2p:[^\s]{1,100}$/.test(chat)) return 'p2p';
    return this.groupChats().some((c) => c.id === chat) ? 'group' : undefined;
  }

  /** A person posts; the bot handles it before this returns, so its answer is already readable. */
  async post(body: PostBody): Promise<SimMessage> {
    const kind = this.chatKind(body.chat);
    if (!kind) throw new SimError(404, `unknown chat "${body.chat}" (known: ${this.groupChats().map((c) => c.id).join(', ')}, p2p:<user id>)`);
    if (kind === 'p2p' && body.chat !== `p2p:${body.user.id}`) throw new SimError(400, `chat ${body.chat} is the private chat of another user; post to p2p:${body.user.id}`);
    if (body.user.id === BOT_ID) throw new SimError(400, 'user id "bot" is reserved for the bot');
    const m: SimMessage = {
      id: await this.nextId(),
      chat: body.chat,
      from: { id: body.user.id, name: body.user.name },
      text: body.text,
      ts: this.now(),
      ...(body.attachments?.length ? { attachments: body.attachments } : {}),
      ...(body.replyTo ? { replyTo: body.replyTo } : {}),
    };
    const quoted = body.replyTo ? (await this.history(m.chat)).find((x) => x.id === body.replyTo) : undefined;
    await this.append(m);
    await this.sink?.({
      platform: 'sim',
      chatId: m.chat,
      chatKind: kind,
      sender: { userId: m.from.id, name: m.from.name },
      text: m.text,
      mentionsBot: body.mention,
      messageId: m.id,
      at: m.ts,
      attachments: (body.attachments ?? []).map((a) => ({ kind: a.kind, ref: a.ref, ...(a.name ? { name: a.name } : {}) })),
      ...(body.replyTo ? { quoted: { messageId: body.replyTo, ...(quoted ? { text: quoted.text, fromBot: quoted.from.id === BOT_ID } : {}) } } : {}),
    });
    return m;
  }

  async send(target: PlatformTarget, msg: OutgoingMessage, opts?: { idempotencyKey?: string }): Promise<void> {
    const chat = target.kind === 'chat' ? target.chatId : `p2p:${target.userId}`;
    const m: SimMessage = {
      id: '__ID__',
      chat,
      from: { id: BOT_ID, name: this.policy().bot.name },
      text: msg.text,
      ts: this.now(),
      ...(msg.card ? { card: msg.card } : {}),
      ...(target.kind === 'chat' && target.replyTo ? { replyTo: target.replyTo } : {}),
    };
    const sentKey = `as:sent:sim:${opts?.idempotencyKey ?? ''}`;
    await evalLua(this.redis, SEND, 4, key(chat), 'as:sim:seq', 'as:sim:p2p', sentKey, JSON.stringify(m), HISTORY, EVENTS, chat.startsWith('p2p:') ? chat : '', opts?.idempotencyKey ? '1' : '0');
  }

  async history(chat: string, since?: number): Promise<SimMessage[]> {
    const raw = await this.redis.lrange(key(chat), 0, -1);
    const all = raw.map((r) => JSON.parse(r) as SimMessage);
    return since === undefined ? all : all.filter((m) => m.ts > since);
  }

  /** Private chats that have any message, for the page's chat list. */
  async privateChats(): Promise<string[]> {
    return (await this.redis.smembers('as:sim:p2p')).sort();
  }

  /** Every new line of every chat, from any process of the deployment. */
  subscribeAll(fn: (m: SimMessage) => void): () => void {
    this.listen();
    this.events.on('*', fn);
    return () => this.events.off('*', fn);
  }

  private listen(): void {
    if (this.sub) return;
    const sub = this.redis.duplicate({ enableAutoPipelining: false }); // subscriber mode
    this.sub = sub;
    sub.on('error', () => {}); // reconnects by itself; the page falls back to polling meanwhile
    sub.on('message', (_channel: string, raw: string) => this.events.emit('*', JSON.parse(raw) as SimMessage));
    void sub.subscribe(EVENTS).catch(() => {});
  }

  private async append(m: SimMessage): Promise<void> {
    const line = JSON.stringify(m);
    const m2 = this.redis.multi().rpush(key(m.chat), line).ltrim(key(m.chat), -HISTORY, -1).publish(EVENTS, line);
    if (m.chat.startsWith('p2p:')) m2.sadd('as:sim:p2p', m.chat);
    await m2.exec();
  }

  private async nextId(): Promise<string> {
    return `m-${await this.redis.incr('as:sim:seq')}`;
  }
}

function key(chat: string): string {
  return `as:sim:chat:${chat}`;
}
