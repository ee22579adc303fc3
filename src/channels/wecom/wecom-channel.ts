import { createHash, randomUUID } from 'node:crypto';
import { WSClient, type WsFrame } from '@wecom/aibot-node-sdk';
import type { Logger } from 'pino';
import type { Policy } from '../../domain/contract/policy.ts';
import { staffByPlatformId } from '../../domain/contract/roster.ts';
import type { OutgoingMessage } from '../../domain/messages.ts';
import type { Now } from '../../domain/sla/deadline.ts';
import { plainText } from '../../views/plain-text.ts';
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
      logger: { debug: () => {}, info: (m, ...a) => l.debug(fmt(m, a)), warn: (m, ...a) => l.warn(fmt(m, a)), error: (m, ...a) => l.error(fmt(m, a)) },
    });
    this.client = client;
    const ready = new Promise<void>((resolve) => {
      client.on('authenticated', () => {
        this.authenticated = true;
        this.lastProblem = '';
        if (!this.everAuthenticated) this.log.info('wecom long connection subscribed');
        else this.log.info('wecom long connection re-subscribed');
        this.everAuthenticated = true;
        void this.o.sending?.(true);
        resolve();
      });
    });
    client.on('disconnected', (reason) => {
      if (this.authenticated) this.log.warn({ reason: scrubWecom(String(reason), this.cfg.secret).slice(0, 200) }, 'wecom long connection lost; reconnecting');
      this.authenticated = false;
      this.lastProblem = 'disconnected';
      void this.o.sending?.(false);
    });
    client.on('reconnecting', (attempt) => {
      this.lastProblem = `reconnecting (attempt ${attempt})`;
    });
    client.on('error', (err) => {
      this.lastProblem = scrubWecom(err.message, this.cfg.secret).slice(0, 200);
      this.log.error({ err: this.lastProblem }, 'wecom connection error');
    });
    client.on('message', (frame) => void this.onMessageFrame(frame));
    client.on('event.template_card_event', (frame) => void this.onCardFrame(frame));
    client.on('event.disconnected_event', () => {
      // WeCom closes this connection because another one of the same bot opened: two bots running.
      this.authenticated = false;
      this.lastProblem = 'replaced by another connection of the same bot';
      this.log.error('wecom: another process connected with the same bot id; this one was disconnected (run WeCom in one process only)');
    });
    client.connect();
    // Wait a little for the subscription, so the first sends find it up; the SDK keeps trying after.
    await Promise.race([ready, new Promise((r) => setTimeout(r, this.o.startWaitMs ?? 5000).unref())]);
    if (!this.authenticated) this.log.warn({ problem: this.lastProblem }, 'wecom long connection not subscribed yet; still trying');
  }

  async stopListening(): Promise<void> {
    this.onMessage = undefined;
    this.onCard = undefined;
  }

  async stop(): Promise<void> {
    await this.stopListening();
    this.client?.disconnect();
    this.client = undefined;
    this.authenticated = false;
  }

  /** For /readyz: the long connection must be up and subscribed. */
  status(): { ok: boolean; reason?: string } {
    return this.authenticated ? { ok: true } : { ok: false, reason: `wecom: long connection ${this.lastProblem || 'down'}` };
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
    const group = b.chattype === 'group';
    const userId = b.from.userid;
    const content = contentOf(b);
    try {
      // The app's inbox handles each msgid once (WeCom redelivers when unsure): a replayed frame makes nothing new.
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
      // Not handled now (Redis down, stopping): WeCom does not redeliver on our failure, so say so loudly.
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
    const group = b.chattype === 'group' || (b.chattype === undefined && !!b.chatid);
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
      this.log.error({ err: (err as Error).message }, 'wecom card click not handled');
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
      const text = msg.card.textComplete ? msg.text : plainText({ text: msg.text, card: { ...msg.card, actions: [] } });
      if (!fitsCard(text)) parts.push(markdown(text));
      const taskId = `as_${createHash('sha256').update(opts?.idempotencyKey ?? randomUUID()).digest('hex').slice(0, 32)}`;
      parts.push({ msgtype: 'template_card', template_card: renderTemplateCard(msg.card, fitsCard(text) ? text : '', taskId) });
    } else parts.push(markdown(plainText(msg)));
    await this.spacer.run(chatId, async () => {
      for (const body of parts) {
        const client = this.client;
        if (!client || !this.authenticated) throw new Error('wecom: long connection not subscribed');
        const ack = (await client.sendMessage(chatId, body as never).catch((e: unknown) => {
          const f = e as { errcode?: number; errmsg?: string; message?: string };
          throw new Error(`wecom send failed: ${f.errcode !== undefined ? `errcode ${f.errcode}: ${f.errmsg ?? ''}` : (f.message ?? String(e))}`);
        })) as { errcode?: number; errmsg?: string } | undefined;
        if (ack?.errcode) throw new Error(`wecom send failed: errcode ${ack.errcode}: ${ack.errmsg ?? ''}`);
      }
    });
  }
}

/** WeCom markdown reads `*`, `_`, backquotes and `[..](..)`: our plain text is escaped so it shows as written. */
function markdown(text: string): Record<string, unknown> {
  return { msgtype: 'markdown', markdown: { content: text.replace(/([*_`[\]])/g, '\\$1') } };
}
