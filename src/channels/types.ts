import type { CardClick, CardClickResult, IncomingMessage, OutgoingMessage } from '../domain/messages.ts';
import type { Platform } from '../domain/platform.ts';

/** Where a platform message goes: a chat (optionally as a reply) or a person privately. */
export type PlatformTarget = { kind: 'chat'; chatId: string; replyTo?: string } | { kind: 'user'; userId: string };

export type MessageSink = (msg: IncomingMessage) => Promise<void>;

export type CardSink = (click: CardClick) => Promise<CardClickResult>;

/** One platform adapter (DESIGN.md: start/stop, deliver IncomingMessages, send OutgoingMessages). */
export interface Channel {
  readonly platform: Platform;
  start(onMessage: MessageSink, onCard?: CardSink): Promise<void>;
  stop(): Promise<void>;
  /**
   * Sends one message; throws when it could not be sent (the outbox queue retries). The key is the
   * same on every retry of one message, for platforms that deduplicate sends (Feishu's uuid).
   */
  send(target: PlatformTarget, msg: OutgoingMessage, opts?: { idempotencyKey?: string }): Promise<void>;
  /**
   * The channel itself sends an idempotency key at most once (the simulator, in one Redis step);
   * otherwise the outbox guards every key with a claim in Redis.
   */
  readonly sendsOnce?: boolean;
  /** Stops taking new messages, still able to send (a graceful stop drains before `stop`). */
  stopListening?(): Promise<void>;
  /** Able to send from this process now (absent: always); otherwise the outbox worker sends. */
  canSend?(): boolean;
  /** Connected and able to take messages (for /readyz); absent means always. */
  status?(): { ok: boolean; reason?: string };
}
