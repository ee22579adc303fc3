import { createHash } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Policy } from '../../domain/contract/policy.ts';
import { staffByPlatformId } from '../../domain/contract/roster.ts';
import type { OutgoingMessage } from '../../domain/messages.ts';
import { zh } from '../../views/zh.ts';
import { Spacer } from '../rate-limit.ts';
import type { CardSink, Channel, MessageSink, PlatformTarget } from '../types.ts';
import { renderCard, REPLY_FIELD } from './card.ts';
import type { FeishuConfig } from './config.ts';
import { mentionsBot, parseContent } from './content.ts';
import { cardActionSchema, flatten, messageEventSchema } from './events.ts';
import { decrypt, signatureValid } from './webhook-crypto.ts';

/** Secrets never reach the log, whatever the SDK puts in its messages. */
export function scrub(s: string): string {
  return s
    .replace(/Bearer\s+[\w.~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/("?(app_?secret|appSecret|tenant_access_token|app_access_token|encrypt_?key|encryptKey|verification_?token|verificationToken|token)"?\s*[:=]\s*)"[^"]*"/gi, '$1"[redacted]"');
}

function summarise(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x && typeof x === 'object') {
    const e = x as { message?: unknown; code?: unknown; response?: { status?: unknown; data?: { code?: unknown; msg?: unknown } } };
    if (e.message !== undefined || e.response) return `${String(e.message ?? '')} status=${String(e.response?.status ?? '')} code=${String(e.response?.data?.code ?? e.code ?? '')} msg=${String(e.response?.data?.msg ?? '')}`;
    try {
      return JSON.stringify(x);
    } catch {
      return '[object]';
    }
  }
  return String(x);
}

/** A webhook request older than this is refused (replays of captured requests). */
const MAX_AGE_S = 5 * 60;

export interface WebhookResult {
  status: number;
  body: unknown;
}

/**
 * Feishu through the official SDK: long connection (WSClient, no public URL needed) or webhook
 * (`POST /feishu/events`, `POST /feishu/card`), message events and card clicks, and sending with
 * retries, spacing and `code` checks. Nothing Feishu-specific leaves this folder.
 */
export class FeishuChannel implements Channel {
  readonly platform = 'feishu' as const;
  readonly client: lark.Client;
  botOpenId: string | undefined;
  botName: string | undefined;
  private ws: lark.WSClient | undefined;
  private onMessage: MessageSink | undefined;
  private onCard: CardSink | undefined;
  private readonly spacer = new Spacer(200, 25);
  private readonly sdkLogger: { error: (...a: unknown[]) => void; warn: (...a: unknown[]) => void; info: (...a: unknown[]) => void; debug: (...a: unknown[]) => void; trace: (...a: unknown[]) => void };

  constructor(
    private readonly cfg: FeishuConfig,
    private readonly redis: Redis,
    private readonly policy: () => Policy,
    private readonly log: Logger,
    private readonly opts: { retries?: number; retryBaseMs?: number } = {},
  ) {
    const l = log.child({ mod: 'feishu-sdk' });
    // The SDK logs whole axios errors (request config with the Bearer token): keep only a summary.
    const fmt = (a: unknown[]) => scrub(a.map(summarise).join(' ')).slice(0, 500);
    this.sdkLogger = { error: (...a) => l.error(fmt(a)), warn: (...a) => l.warn(fmt(a)), info: (...a) => l.debug(fmt(a)), debug: () => {}, trace: () => {} };
    this.client = new lark.Client({ appId: cfg.appId, appSecret: cfg.appSecret, domain: this.domain(), cache: new lark.DefaultCache(), logger: this.sdkLogger });
  }

  private domain(): lark.Domain | string {
    return this.cfg.domain === 'feishu' ? lark.Domain.Feishu : this.cfg.domain === 'lark' ? lark.Domain.Lark : this.cfg.domain;
  }

  async start(onMessage: MessageSink, onCard?: CardSink): Promise<void> {
    this.onMessage = onMessage;
    this.onCard = onCard;
    await this.fetchBotInfo();
    if (this.cfg.mode === 'ws') {
      const dispatcher = new lark.EventDispatcher({ logger: this.sdkLogger }).register({
        'im.message.receive_v1': async (data: unknown) => {
          await this.onMessageEvent(data);
        },
        'card.action.trigger': async (data: unknown) => this.onCardEvent(data),
      } as Record<string, (data: unknown) => Promise<unknown>>);
      this.ws = new lark.WSClient({ appId: this.cfg.appId, appSecret: this.cfg.appSecret, domain: this.domain(), logger: this.sdkLogger, autoReconnect: true } as ConstructorParameters<typeof lark.WSClient>[0]);
      await this.ws.start({ eventDispatcher: dispatcher });
      this.log.info('feishu long connection started');
    }
  }

  /** No new events over the long connection (webhook requests are refused by the server); sending still works. */
  async stopListening(): Promise<void> {
    this.ws?.close({ force: true } as Parameters<lark.WSClient['close']>[0]);
    this.ws = undefined;
  }

  async stop(): Promise<void> {
    await this.stopListening();
    this.onMessage = undefined;
  }

  /** For /readyz: the long connection must be up (webhook mode has nothing to hold open). */
  status(): { ok: boolean; reason?: string } {
    if (!this.ws) return { ok: true };
    const state = this.ws.getConnectionStatus().state;
    return state === 'connected' ? { ok: true } : { ok: false, reason: `feishu: long connection ${state}` };
  }

  /** The bot's own open_id decides which mentions address it (bot-info API, fetched once). */
  private async fetchBotInfo(): Promise<void> {
    try {
      const r = (await this.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as { code?: number; bot?: { open_id?: string; app_name?: string } };
      this.botOpenId = r.bot?.open_id;
      this.botName = r.bot?.app_name;
      if (!this.botOpenId) this.log.warn({ code: r.code }, 'feishu bot info without open_id: mentions in groups will not be recognised');
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'feishu bot info failed: mentions in groups will not be recognised');
    }
  }

  // ---------- incoming ----------

  /**
   * Webhook entry: verifies (signature + freshness with an encrypt key, else the verification
   * token), decrypts, answers the URL challenge, dedupes, and handles. A forged or stale request
   * gets 401 and nothing is stored; a failure while handling gets 500 so Feishu retries.
   */
  async handleWebhook(rawBody: string, headers: Record<string, string | string[] | undefined>): Promise<WebhookResult> {
    const h = (k: string) => {
      const v = headers[k];
      return Array.isArray(v) ? v[0] : v;
    };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { error: 'body is not JSON' } };
    }
    const enc = this.cfg.encryptKey;
    if (enc && typeof body.encrypt === 'string') {
      const ts = h('x-lark-request-timestamp') ?? '';
      const nonce = h('x-lark-request-nonce') ?? '';
      const isChallenge = !h('x-lark-signature');
      if (!isChallenge) {
        if (!signatureValid(h('x-lark-signature'), ts, nonce, enc, rawBody)) return this.reject('bad signature');
        if (!(Math.abs(Date.now() / 1000 - Number(ts)) <= MAX_AGE_S)) return this.reject('stale timestamp');
      }
      try {
        body = JSON.parse(decrypt(body.encrypt, enc)) as Record<string, unknown>;
      } catch {
        return this.reject('undecryptable payload');
      }
      // The URL-verification request is the only one Feishu sends unsigned.
      if (isChallenge && body.type !== 'url_verification') return this.reject('unsigned event');
    } else if (enc) {
      return this.reject('plain body while an encrypt key is set');
    }
    const token = (body.token as string | undefined) ?? ((body.header as Record<string, unknown> | undefined)?.token as string | undefined);
    if (this.cfg.verificationToken && token !== this.cfg.verificationToken) return this.reject('bad verification token');
    if (body.type === 'url_verification') return { status: 200, body: { challenge: body.challenge } };
    // Without Redis nothing can be stored: answer at once so Feishu retries later, rather than hold
    // the request past Feishu's timeout.
    if (this.redis.status !== 'ready') {
      this.log.warn({ redis: this.redis.status }, 'feishu event refused while Redis is unavailable; Feishu will retry');
      return { status: 503, body: { error: 'temporarily unavailable' } };
    }
    const event = flatten(body);
    try {
      if (event.event_type === 'im.message.receive_v1') await this.onMessageEvent(event);
      else if (event.event_type === 'card.action.trigger') return { status: 200, body: (await this.onCardEvent(event)) ?? {} };
      return { status: 200, body: {} };
    } catch (err) {
      // 503 while another attempt handles the same message (or the bot is stopping), 500 otherwise: Feishu retries both.
      const status = (err as { status?: number }).status === 503 ? 503 : 500;
      this.log[status === 503 ? 'warn' : 'error']({ err: (err as Error).message }, 'feishu event not handled now; Feishu will retry');
      return { status, body: { error: 'temporarily unavailable' } };
    }
  }

  private reject(reason: string): WebhookResult {
    this.log.warn({ reason }, 'feishu webhook rejected');
    return { status: 401, body: { error: reason } };
  }

  private async onMessageEvent(data: unknown): Promise<void> {
    const parsed = messageEventSchema.safeParse(data);
    if (!parsed.success) {
      this.log.warn({ issues: parsed.error.issues.length }, 'feishu message event of unexpected shape ignored');
      return;
    }
    const e = parsed.data;
    const m = e.message;
    if (e.sender.sender_type && e.sender.sender_type !== 'user') return; // the bot's own and other apps' messages
    const userId = e.sender.sender_id.open_id ?? e.sender.sender_id.user_id ?? 'unknown';
    const content = parseContent(m);
    // Feishu retries and the long connection may redeliver: the app's inbox handles each message
    // id once, and marks it done only once handled (a failure here lets the redelivery try again).
    await this.onMessage?.({
      platform: 'feishu',
      chatId: m.chat_id,
      chatKind: m.chat_type === 'p2p' ? 'p2p' : 'group',
      sender: { userId, name: await this.nameOf(userId) },
      text: this.withoutBotMention(content.text),
      mentionsBot: mentionsBot(m, this.botOpenId),
      messageId: m.message_id,
      at: Number(m.create_time) || Date.now(),
      attachments: content.attachments,
      ...(m.parent_id ? { quoted: { messageId: m.parent_id, ...(await this.sentText(m.parent_id)) } } : {}),
    });
  }

  /** What the bot itself said in a message (kept a while after sending), so a reply to it can be traced to its ticket. */
  private async sentText(messageId: string): Promise<{ text: string; fromBot: true } | Record<string, never>> {
    const text = await this.redis.get(`as:feishu:said:${messageId}`);
    return text ? { text, fromBot: true } : {};
  }

  /** "@售后助手 …" arrives as "@<bot name> …": drop it so commands parse; the mention flag keeps it. */
  private withoutBotMention(text: string): string {
    const names = [this.botName, this.policy().bot.name].filter((x): x is string => !!x);
    let t = text;
    for (const n of names) t = t.replace(new RegExp(`^\\s*@${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*`), '');
    return t;
  }

  private async onCardEvent(data: unknown): Promise<unknown> {
    const parsed = cardActionSchema.safeParse(data);
    if (!parsed.success || !this.onCard) return { toast: { type: 'error', content: zh.card.unusable } };
    const e = parsed.data;
    const v = e.action.value ?? {};
    const typed = (e.action as { form_value?: Record<string, unknown> }).form_value?.[REPLY_FIELD];
    // A form submit (回复) sends its command with what was typed; an empty box is the command alone (answered with its usage).
    const command = typeof v.command === 'string' ? (typeof typed === 'string' && typed.trim() ? `${v.command} ${typed.trim()}` : v.command) : '';
    if (!command) return { toast: { type: 'error', content: zh.card.unusable } };
    const userId = e.operator.open_id ?? e.operator.user_id ?? 'unknown';
    const n = Number(v.n);
    const version = Number(v.v);
    const result = await this.onCard({
      platform: 'feishu',
      chatId: e.context.open_chat_id,
      chatKind: 'group',
      messageId: e.context.open_message_id,
      clickId: e.event_id,
      sender: { userId, name: await this.nameOf(userId) },
      command,
      ...(Number.isFinite(n) && Number.isFinite(version) ? { ticket: { n, version } } : {}),
    });
    if (result.card) {
      // Redraw the card in place; the callback answer carries the toast (and the card too).
      const card = renderCard(result.card, result.cardText);
      void this.patchCard(e.context.open_message_id, card);
      return { toast: { type: 'info', content: result.toast }, card: { type: 'raw', data: card } };
    }
    return { toast: { type: 'info', content: result.toast } };
  }

  /** Display names: the roster's for staff, else the contact API (cached), else a neutral label. */
  private async nameOf(openId: string): Promise<string> {
    const staff = staffByPlatformId(this.policy(), 'feishu', openId);
    if (staff) return staff.name;
    const key = `as:feishu:name:${openId}`;
    const cached = await this.redis.get(key);
    if (cached) return cached;
    let name = '';
    try {
      const r = (await this.client.request({ method: 'GET', url: `/open-apis/contact/v3/users/${encodeURIComponent(openId)}`, params: { user_id_type: 'open_id' } })) as {
        code?: number;
        data?: { user?: { name?: string } };
      };
      name = r.code === 0 ? (r.data?.user?.name ?? '') : '';
    } catch {
      /* no contact permission: fine */
    }
    const result = name || zh.feishu.unknownUser(openId.slice(-4));
    await this.redis.set(key, result, 'EX', name ? 7 * 24 * 3600 : 3600);
    return result;
  }

  // ---------- outgoing ----------

  async send(target: PlatformTarget, msg: OutgoingMessage, opts?: { idempotencyKey?: string }): Promise<void> {
    const card = msg.card ? renderCard(msg.card, msg.text) : undefined;
    const msgType = card ? 'interactive' : 'text';
    const content = JSON.stringify(card ?? { text: msg.text });
    // Feishu sends a message at most once per uuid within an hour: our retries cannot duplicate it.
    const uuid = opts?.idempotencyKey ? createHash('sha256').update(opts.idempotencyKey).digest('hex').slice(0, 40) : undefined;
    const key = target.kind === 'chat' ? target.chatId : target.userId;
    const res = await this.spacer.run(key, () =>
      this.withRetry(`send to ${target.kind}`, async () => {
        if (target.kind === 'chat' && target.replyTo && target.replyTo.startsWith('om_'))
          return this.client.im.v1.message.reply({ path: { message_id: target.replyTo }, data: { msg_type: msgType, content, ...(uuid ? { uuid } : {}) } });
        return this.client.im.v1.message.create({
          params: { receive_id_type: target.kind === 'chat' ? 'chat_id' : 'open_id' },
          data: { receive_id: key, msg_type: msgType, content, ...(uuid ? { uuid } : {}) },
        });
      }),
    );
    // The start of what was said, for 30 days: a teacher's reply to it is traced to its ticket (#N in it).
    const sentId = (res as { data?: { message_id?: string } } | undefined)?.data?.message_id;
    if (sentId) await this.redis.set(`as:feishu:said:${sentId}`, msg.text.slice(0, 200), 'EX', 30 * 24 * 3600).catch(() => undefined);
  }

  private async patchCard(messageId: string, card: Record<string, unknown>): Promise<void> {
    try {
      await this.withRetry('patch card', () => this.client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }));
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'feishu card update failed');
    }
  }

  /** Retries HTTP errors and `code != 0` answers with exponential backoff, then throws (and logs). */
  private async withRetry<R extends { code?: number; msg?: string } | undefined>(what: string, call: () => Promise<R>): Promise<R | undefined> {
    const retries = this.opts.retries ?? 1; // one quick retry for a blip; the outbox queue retries longer outages
    const base = this.opts.retryBaseMs ?? 300;
    let last = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        const r = await call();
        if (!r || r.code === 0 || r.code === undefined) return r;
        last = `code ${r.code}: ${r.msg ?? ''}`;
      } catch (err) {
        const e = err as { response?: { status?: number }; message?: string };
        last = `HTTP ${e.response?.status ?? '?'}: ${e.message ?? ''}`;
      }
      if (attempt < retries) {
        this.log.warn({ what, attempt: attempt + 1, error: last }, 'feishu API call failed; retrying');
        await new Promise((r) => setTimeout(r, base * 3 ** attempt));
      }
    }
    this.log.error({ what, error: last }, 'feishu API call failed for good');
    throw new Error(`feishu ${what} failed: ${last}`);
  }
}
