import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import QRCode from 'qrcode';
import type { WechatyInterface } from 'wechaty/impls';
import type { Contact, Message, Room } from 'wechaty/users';
import type { Policy } from '../../domain/contract/policy.ts';
import type { OutgoingMessage } from '../../domain/messages.ts';
import type { Attachment } from '../../domain/ticket.ts';
import { LeaseLock } from '../../store/lease-lock.ts';
import type { StaffBindings } from '../../store/staff-bindings.ts';
import { plainText } from '../../views/plain-text.ts';
import { zh } from '../../views/zh.ts';
import { Spacer } from '../rate-limit.ts';
import type { Channel, MessageSink, PlatformTarget } from '../types.ts';
import type { WechatConfig } from './config.ts';
import { QR_KEY, saveLoginQr } from './login-qr.ts';

const LOCK_KEY = 'as:wechat:lock';
const BIND = /^(绑定|bind)\s*(\d{6})$/i;

export interface WechatChannelOptions {
  /** A ready Wechaty (tests pass one on wechaty-puppet-mock); otherwise built from the config. */
  wechaty?: WechatyInterface;
  /** Told when the account logs out or the puppet fails (the app sends it to the team lead). */
  alert?: (text: string) => Promise<void>;
  leaseMs?: number;
  /** Wait before restarting the puppet after a logout (ms). */
  retryMs?: number;
  /** Told when this instance starts (true) or stops (false) running the puppet: it alone sends. */
  active?: (on: boolean) => Promise<void>;
}

/**
 * WeChat through wechaty. Exactly one instance logs in (a Redis lease lock); the others wait to
 * take over. Staff are recognised by a binding made with a one-time code, never by name. Cards
 * become plain text with the commands to type. Sends are spaced per chat and overall.
 */
export class WechatChannel implements Channel {
  readonly platform = 'wechat' as const;
  private bot: WechatyInterface | undefined;
  private onMessage: MessageSink | undefined;
  private readonly lock: LeaseLock;
  private readonly spacer: Spacer;
  private running = false;

  constructor(
    private readonly cfg: WechatConfig,
    private readonly redis: Redis,
    private readonly bindings: StaffBindings,
    private readonly policy: () => Policy,
    private readonly log: Logger,
    private readonly opts: WechatChannelOptions = {},
  ) {
    this.lock = new LeaseLock(redis, LOCK_KEY, opts.leaseMs ?? 30_000);
    this.spacer = new Spacer(cfg.chatSpacingMs, cfg.globalSpacingMs);
  }

  get holdsLock(): boolean {
    return this.lock.isHeld;
  }

  async start(onMessage: MessageSink): Promise<void> {
    this.onMessage = onMessage;
    this.lock.run(
      async () => {
        this.log.info('wechat lock acquired: this instance runs the puppet');
        await this.startPuppet();
        await this.opts.active?.(true);
      },
      async () => {
        this.log.warn('wechat lock lost to another instance: stopping the puppet');
        await this.opts.active?.(false);
        await this.stopPuppet();
      },
    );
  }

  async stop(): Promise<void> {
    await this.lock.stop();
    await this.opts.active?.(false);
    await this.stopPuppet();
  }

  /** Only the instance running the puppet, logged in, can send. */
  canSend(): boolean {
    return this.lock.isHeld && !!this.bot?.isLoggedIn;
  }

  /** For /readyz: the instance running the puppet must be logged in; the others are standbys. */
  status(): { ok: boolean; reason?: string } {
    if (!this.lock.isHeld) return { ok: true };
    return this.bot?.isLoggedIn ? { ok: true } : { ok: false, reason: 'wechat: not logged in (scan the QR at /wechat/login)' };
  }

  private async startPuppet(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const bot = this.opts.wechaty ?? (await this.build());
    this.bot = bot;
    // Event handlers never leave a promise unhandled (during a stop Redis may already be closed).
    const quietly = (what: string, p: Promise<unknown> | undefined) => void p?.catch((err: Error) => this.log.warn({ err: err.message }, `wechat ${what} failed`));
    bot.on('scan', (qrcode: string, status: number) => quietly('scan', this.onScan(qrcode, status)));
    bot.on('login', (user: Contact) => {
      this.log.info({ user: user.id }, 'wechat logged in');
      quietly('login clean-up', this.redis.del(QR_KEY));
    });
    bot.on('logout', (user: Contact) => {
      if (!this.running) return; // our own stop, not a lost login
      this.log.error({ user: user.id }, 'wechat logged out');
      quietly('logout alert', this.opts.alert?.(zh.wechat.loggedOut));
      // Retry: restart the puppet so a new login QR appears (if this instance still holds the lock).
      setTimeout(() => void this.restartPuppet(), this.opts.retryMs ?? 10_000).unref();
    });
    bot.on('error', (err: Error) => this.log.error({ err: err.message }, 'wechat puppet error'));
    bot.on('message', (m: Message) => void this.onWechatMessage(m).catch((err: Error) => this.log.error({ err: err.message }, 'wechat message failed')));
    await bot.start();
  }

  private async build(): Promise<WechatyInterface> {
    const { WechatyBuilder } = await import('wechaty');
    return WechatyBuilder.build({ name: 'aftersales-bot', puppet: this.cfg.puppet as never, ...(this.cfg.token ? { puppetOptions: { token: this.cfg.token } } : {}) });
  }

  private async restartPuppet(): Promise<void> {
    if (!this.running || !this.lock.isHeld) return;
    try {
      await this.bot?.stop();
      await this.bot?.start();
      this.log.info('wechat puppet restarted after logout');
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'wechat restart failed; retrying');
      setTimeout(() => void this.restartPuppet(), (this.opts.retryMs ?? 10_000) * 3).unref();
    }
  }

  private async stopPuppet(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    try {
      await this.bot?.stop();
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'wechat stop failed');
    }
  }

  /** The login QR: printed in the terminal and kept for the admin page. */
  private async onScan(qrcode: string, status: number): Promise<void> {
    await saveLoginQr(this.redis, qrcode, status, Date.now());
    try {
      process.stdout.write(`\n${zh.wechat.scan}\n${await QRCode.toString(qrcode, { type: 'terminal', small: true })}\n`);
    } catch {
      this.log.info({ qrcode }, 'wechat login QR');
    }
  }

  private async onWechatMessage(m: Message): Promise<void> {
    if (m.self()) return;
    const talker = m.talker();
    const room = m.room();
    let text = m.text() ?? '';
    const type = m.type();
    const T = m.wechaty.Message.Type;
    const attachments: Attachment[] = [];
    if (type === T.Image) attachments.push({ kind: 'image', ref: `wechat:${m.id}` });
    else if (type === T.Attachment || type === T.Video || type === T.Audio) attachments.push({ kind: type === T.Video ? 'video' : type === T.Audio ? 'audio' : 'file', ref: `wechat:${m.id}` });
    if (attachments.length) text = '';
    else if (type !== T.Text) return; // stickers, links, system notices…
    if (!room) {
      const bind = BIND.exec(text.trim());
      if (bind) return this.redeem(talker, bind[2]!);
    }
    let mentionsBot = false;
    if (room) {
      mentionsBot = await m.mentionSelf();
      const name = m.wechaty.currentUser.name();
      const prefix = new RegExp(`^\\s*@${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\u2005]*`);
      if (prefix.test(text)) {
        mentionsBot = true;
        text = text.replace(prefix, '');
      }
    }
    const staffId = await this.bindings.staffFor('wechat', talker.id);
    await this.onMessage?.({
      platform: 'wechat',
      chatId: room ? room.id : talker.id,
      chatKind: room ? 'group' : 'p2p',
      sender: { userId: talker.id, name: talker.name() },
      text: text.replace(/\u2005/g, ' '),
      mentionsBot,
      messageId: m.id,
      at: m.date().getTime(),
      attachments,
      ...(staffId ? { staffId } : {}),
    });
  }

  private async redeem(talker: Contact, code: string): Promise<void> {
    const staffId = await this.bindings.redeem(code, 'wechat', talker.id);
    const member = staffId ? this.policy().roster.find((r) => r.id === staffId) : undefined;
    this.log.info({ staffId: staffId ?? null }, staffId ? 'wechat staff bound' : 'wechat bind code refused');
    await this.spacer.run(talker.id, () =>
      talker.say(member ? zh.wechat.bound(member.name) : zh.wechat.bindRefused),
    );
  }

  async send(target: PlatformTarget, msg: OutgoingMessage): Promise<void> {
    const bot = this.bot;
    if (!bot || !this.running) throw new Error('wechat is not logged in on this instance');
    const text = plainText(msg);
    const key = target.kind === 'chat' ? target.chatId : target.userId;
    await this.spacer.run(key, async () => {
      if (target.kind === 'chat') {
        const room: Room | undefined = await this.findRoom(bot, target.chatId);
        if (room) return void (await room.say(text));
        const contact = await bot.Contact.find({ id: target.chatId });
        if (!contact) throw new Error(`wechat chat ${target.chatId} not found`);
        return void (await contact.say(text));
      }
      const contact = await bot.Contact.find({ id: target.userId });
      if (!contact) throw new Error(`wechat contact ${target.userId} not found`);
      await contact.say(text);
    });
  }

  /** Rooms by id, or by topic when the policy writes `topic:<群名>` (ids change on some puppets). */
  private async findRoom(bot: WechatyInterface, chatId: string): Promise<Room | undefined> {
    if (chatId.startsWith('topic:')) return (await bot.Room.find({ topic: chatId.slice(6) })) ?? undefined;
    return chatId.includes('@') ? ((await bot.Room.find({ id: chatId })) ?? undefined) : undefined;
  }
}
