import { createHash, randomUUID } from 'node:crypto';
import { WSClient, type WsFrame } from '@wecom/aibot-node-sdk';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Policy } from '../../domain/contract/policy.ts';
import { staffByPlatformId } from '../../domain/contract/roster.ts';
import type { OutgoingMessage } from '../../domain/messages.ts';
import type { Now } from '../../domain/sla/deadline.ts';
import { plainText } from '../../views/plain-text.ts';
import { zh } from '../../views/zh.ts';
import { Spacer } from '../rate-limit.ts';
import type { CardSink, Channel, MessageSink, PlatformTarget } from '../types.ts';
import { fitsCard, hasButtons, parseButtonKey, renderTemplateCard } from './card.ts';
import type { WecomConfig } from './config.ts';
import { cardEventFrameSchema, contentOf, messageFrameSchema } from './frames.ts';

/** The bot secret never reaches the log, whatever the SDK puts in its messages. */
export function scrubWecom(s: string, secret: string): string {
  return (secret ? s.split(secret).join('[redacted]') : s).replace(/("?secret"?\s*[:=]\s*)"[^"]*"/gi, '$1"[redacted]"');
}

export interface WecomChannelOptions {
  /** Told when the connection is authenticated (true) or lost (false): only then does this process send. */
  sending?: (on: boolean) => Promise<void>;
  /** Remembers which parts of a two-part send went out, so a retry sends only the rest (Redis). */
  redis?: Pick<Redis, 'get' | 'set'>;
  /** Tells the team lead through another channel (this one being replaced by another connection). */
  alert?: (text: string) => Promise<void>;
  /** Wait after being replaced by another connection before trying again (ms). */
  replacedRetryMs?: number;
  now?: Now;
  /** How long start() waits for the first authentication before going on (the SDK keeps trying). */
  startWaitMs?: number;
}

/**
 * WeCom (企业微信) through its official AI-bot SDK over one WebSocket long connection (no public
 * URL): group and private messages, template-card buttons and their clicks, proactive sends
 * spaced per chat and overall. A send that cannot go (not connected, no answer, errcode) throws,
 * and the outbox queue retries it; the SDK reconnects with backoff and re-subscribes. WeCom
 * allows one connection per bot, so exactly one process listens and sends (`sendsFrom:
 * 'listener'`). Nothing WeCom-specific leaves this folder.
 */
export class WecomChannel implements Channel {
  readonly platform = 'wecom' as const;
  private client: WSClient | undefined;
  private authenticated = false;
  private everAuthenticated = false;
  private lastProblem = 'connecting';
  /** The last authentication error, kept until a subscription succeeds (a wrong secret shows as such). */
  private authProblem = '';
  private replaced = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private onMessage: MessageSink | undefined;
  private onCard: CardSink | undefined;
  private readonly spacer: Spacer;

  constructor(
    private readonly cfg: WecomConfig,
    private readonly policy: () => Policy,
    private readonly log: Logger,
    private readonly o: WecomChannelOptions = {},
  ) {
    this.spacer = new Spacer(cfg.chatSpacingMs, cfg.globalSpacingMs);
  }

  async start(onMessage: MessageSink, onCard?: CardSink): Promise<void> {
    this.onMessage = onMessage;
    this.onCard = onCard;
    const l = this.log.child({ mod: 'wecom-sdk' });
    const fmt = (m: string, a: unknown[]) => scrubWecom([m, ...a.map((x) => (x instanceof Error ? x.message : typeof x === 'string' ? x : JSON.stringify(x)))].join(' '), this.cfg.secret).slice(0, 500);
    const client = new WSClient({
      botId: this.cfg.botId,
      secret: this.cfg.secret,
      ...(this.cfg.wsUrl ? { wsUrl: this.cfg.wsUrl } : {}),
      reconnectInterval: this.cfg.reconnectMs ?? 1000,
      maxReconnectAttempts: -1, // a school's bot keeps trying for as long as it runs
      maxAuthFailureAttempts: -1,
      heartbeatInterval: this.cfg.heartbeatMs ?? 15_000,
      // The SDK sets no timeout on the upgrade: a stalled handshake would hang "connecting" forever.
      wsOptions: { handshakeTimeout: 10_000 },
      logger: { debug: () => {}, info: (m, ...a) => l.debug(fmt(m, a)), warn: (m, ...a) => l.warn(fmt(m, a)), error: (m, ...a) => l.error(fmt(m, a)) },
    });
    this.client = client;
    const ready = new Promise<void>((resolve) => {
      client.on('authenticated', () => {
        this.authenticated = true;
        this.lastProblem = '';
        this.authProblem = '';
        this.replaced = false;
        if (!this.everAuthenticated) this.log.info('wecom long connection subscribed');
        else this.log.info('wecom long connection re-subscribed');
        this.everAuthenticated = true;
        void this.o.sending?.(true);
        resolve();
      });
    });
    client.on('connected', () => {
      // Subscribed within 10 s, or the connection is made again (the SDK waits for the answer forever).
      this.later(10_000, () => {
        if (this.client !== client || this.authenticated || this.replaced) return;
        this.log.warn('wecom subscription not answered in 10 s; reconnecting');
        client.disconnect();
        client.connect();
      });
    });
    client.on('disconnected', (reason) => {
      if (this.authenticated) this.log.warn({ reason: scrubWecom(String(reason), this.cfg.secret).slice(0, 200) }, 'wecom long connection lost; reconnecting');
      this.authenticated = false;
      if (!this.replaced) this.lastProblem = 'disconnected';
      void this.o.sending?.(false);
    });
    client.on('reconnecting', (attempt) => {
      this.lastProblem = `reconnecting (attempt ${attempt})`;
    });
    client.on('error', (err) => {
      const msg = scrubWecom(err.message, this.cfg.secret).slice(0, 200);
      if (/auth/i.test(msg)) this.authProblem = msg;
      this.lastProblem = msg;
      this.log.debug({ err: msg }, 'wecom connection error'); // the SDK's own logger has said it at error level
    });
    client.on('message', (frame) => void this.onMessageFrame(frame));
    client.on('event.template_card_event', (frame) => void this.onCardFrame(frame));
    client.on('event.disconnected_event', () => {
      // WeCom closes this connection because another one of the same bot opened (two bots running,
      // or someone testing with production's id). The SDK does not reconnect: tell the lead, try again later.
      this.authenticated = false;
      this.replaced = true;
      this.lastProblem = 'replaced by another connection of the same bot';
      this.log.error('wecom: another process connected with the same bot id; this one was disconnected (run WeCom in one process only)');
      void this.o.alert?.(zh.wecom.replaced).catch(() => undefined);
      this.later(this.o.replacedRetryMs ?? 10 * 60_000, () => {
        if (this.client === client && !this.authenticated) client.connect();
      });
    });
    client.connect();
    // Wait a little for the subscription, so the first sends find it up; the SDK keeps trying after.
    await Promise.race([ready, new Promise((r) => setTimeout(r, this.o.startWaitMs ?? 5000).unref())]);
    if (!this.authenticated) this.log.warn({ problem: this.lastProblem }, 'wecom long connection not subscribed yet; still trying');
  }

  /** Sending still works while a graceful stop drains; frames arriving meanwhile are logged (WeCom does not resend them). */
  async stopListening(): Promise<void> {
    this.onMessage = undefined;
    this.onCard = undefined;
  }

  async stop(): Promise<void> {
    await this.stopListening();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const client = this.client;
    this.client = undefined;
    client?.disconnect();
    this.authenticated = false;
  }

  private later(ms: number, f: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  /** For /readyz: the long connection must be up and subscribed. */
  status(): { ok: boolean; reason?: string } {
    if (this.authenticated) return { ok: true };
    return { ok: false, reason: `wecom: long connection ${this.replaced ? this.lastProblem : this.authProblem ? `authentication failing (${this.authProblem})` : this.lastProblem || 'down'}` };
  }

  canSend(): boolean {
    return this.authenticated;
  }

  // ---------- incoming ----------

  private async onMessageFrame(raw: unknown): Promise<void> {
    const parsed = messageFrameSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.warn({ issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) }, 'wecom message frame of unexpected shape ignored');
      return;
    }
    const b = parsed.data.body;
    if (!this.onMessage) return void this.log.warn({ msgid: b.msgid }, 'wecom message arrived while stopping; not handled');
    const group = isGroupChat(b);
    const userId = b.from.userid;
    const content = contentOf(b);
    try {
      // The app's inbox handles each msgid once: a frame pushed again makes nothing new.
      await this.onMessage?.({
        platform: 'wecom',
        chatId: group ? b.chatid! : userId,
        chatKind: group ? 'group' : 'p2p',
        sender: { userId, name: this.nameOf(userId) },
        text: group ? this.withoutBotMention(content.text) : content.text,
        // In groups the AI bot is sent only the messages that @mention it.
        mentionsBot: group,
        messageId: b.msgid,
        at: this.o.now?.() ?? Date.now(),
        attachments: content.attachments,
        ...(b.quote?.text?.content ? { quoted: { messageId: `quote:${b.msgid}`, text: b.quote.text.content } } : {}),
      });
    } catch (err) {
      // Not handled now (Redis down): WeCom does not redeliver on our failure, so say so loudly.
      this.log.error({ err: (err as Error).message, msgid: b.msgid }, 'wecom message not handled');
    }
  }

  /** "@售后助手 …" arrives with the bot's name in front: drop it so commands parse. */
  private withoutBotMention(text: string): string {
    const name = this.policy().bot.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return text.replace(new RegExp(`^\\s*@${name}\\s*`), '').replace(/^\s+/, '');
  }

  /** The roster's name for staff; WeCom's callbacks carry only the userid, which is what others are called. */
  private nameOf(userId: string): string {
    return staffByPlatformId(this.policy(), 'wecom', userId)?.name ?? userId;
  }

  /**
   * A template-card button: run its command; within WeCom's 5 s the card is redrawn in its new
   * state (its outcome in the sub-title). WeCom has no toast, so a refusal is said in the chat.
   */
  private async onCardFrame(raw: unknown): Promise<void> {
    const parsed = cardEventFrameSchema.safeParse(raw);
    if (!parsed.success || !this.onCard) {
      if (!parsed.success) this.log.warn({ issues: parsed.error.issues.length }, 'wecom card event of unexpected shape ignored');
      return;
    }
    const { headers, body: b } = parsed.data;
    const key = parseButtonKey(b.event.event_key);
    if (!key) return void this.log.warn('wecom card click with a key that is not ours ignored');
    const group = isGroupChat(b);
    const chatId = group && b.chatid ? b.chatid : b.from.userid;
    try {
      const result = await this.onCard({
        platform: 'wecom',
        chatId,
        chatKind: group ? 'group' : 'p2p',
        messageId: b.msgid,
        clickId: b.msgid,
        sender: { userId: b.from.userid, name: this.nameOf(b.from.userid) },
        command: key.command,
        ...(key.ticket ? { ticket: key.ticket } : {}),
      });
      const client = this.client;
      if (!client) return;
      if (result.card && hasButtons(result.card)) {
        await client.updateTemplateCard({ headers } as WsFrame, renderTemplateCard(result.card, result.toast, b.event.task_id) as never);
      } else {
        await this.send(group ? { kind: 'chat', chatId } : { kind: 'user', userId: b.from.userid }, { text: result.toast });
      }
    } catch (err) {
      this.log.error({ err: errText(err) }, 'wecom card click not handled');
    }
  }

  // ---------- outgoing ----------

  /**
   * A proactive send (aibot_send_msg) to a group's chatid or a person's userid: markdown, or a
   * template card when the message has buttons (its text first, as markdown, when too long for
   * the card). Throws unless WeCom acknowledged it, so the outbox queue retries.
   */
  async send(target: PlatformTarget, msg: OutgoingMessage, opts?: { idempotencyKey?: string }): Promise<void> {
    const chatId = target.kind === 'chat' ? target.chatId : target.userId;
    const parts: Record<string, unknown>[] = [];
    if (hasButtons(msg.card)) {
      const text = msg.card.textComplete ? msg.text : plainText({ text: msg.text, card: { ...msg.card, actions: msg.card.actions.slice(6) } });
      if (!fitsCard(text)) parts.push(markdown(text));
      const taskId = `as_${createHash('sha256').update(opts?.idempotencyKey ?? randomUUID()).digest('hex').slice(0, 32)}`;
      parts.push({ msgtype: 'template_card', template_card: renderTemplateCard(msg.card, fitsCard(text) ? text : '', taskId) });
    } else parts.push(markdown(plainText(msg)));
    // Two parts (long text, then the card): a retry after the card failed must not repeat the text.
    const partKey = (i: number) => (opts?.idempotencyKey && parts.length > 1 ? `as:wecom:part:${createHash('sha256').update(opts.idempotencyKey).digest('hex').slice(0, 32)}:${i}` : undefined);
    await this.spacer.run(chatId, async () => {
      for (const [i, body] of parts.entries()) {
        const key = partKey(i);
        if (key && this.o.redis && (await this.o.redis.get(key))) continue;
        const client = this.client;
        if (!client || !this.authenticated) throw new Error('wecom: long connection not subscribed');
        // The SDK rejects on an errcode, on no answer within 5 s and on a closed socket.
        await client.sendMessage(chatId, body as never).catch((e: unknown) => {
          throw new Error(`wecom send failed: ${errText(e)}`);
        });
        if (key && this.o.redis) await this.o.redis.set(key, '1', 'EX', 24 * 3600).catch(() => undefined);
      }
    });
  }
}

/** Read loosely: a chattype we do not know yet is told apart by chatid (groups have one). */
function isGroupChat(b: { chattype?: string; chatid?: string }): boolean {
  return b.chattype === 'group' || (b.chattype !== 'single' && !!b.chatid);
}

/** The SDK rejects with an Error or with WeCom's answer frame ({errcode, errmsg}). */
function errText(e: unknown): string {
  const f = e as { errcode?: number; errmsg?: string; message?: string };
  return f.errcode !== undefined ? `errcode ${f.errcode}: ${f.errmsg ?? ''}` : (f.message ?? String(e));
}

/** WeCom's markdown messages are limited (4,096 bytes): a longer text is cut with a notice. */
const MAX_MARKDOWN_BYTES = 4000;

/**
 * Our text as a markdown message, unescaped: WeCom's markdown has no backslash escapes (they
 * would show, e.g. in a userid such as zhang_san that 我的ID reports), and our texts carry no
 * markdown of their own.
 */
function markdown(text: string): Record<string, unknown> {
  let content = text;
  if (Buffer.byteLength(content) > MAX_MARKDOWN_BYTES) {
    const notice = zh.wecom.cut;
    while (Buffer.byteLength(content) + Buffer.byteLength(notice) > MAX_MARKDOWN_BYTES) content = content.slice(0, Math.floor(content.length * 0.9));
    content += notice;
  }
  return { msgtype: 'markdown', markdown: { content } };
}
