import type { Logger } from 'pino';
import type { OutboxQueue } from '../jobs/outbox-queue.ts';
import { outboxKeyOf, type CardClick, type CardClickResult, type IncomingMessage, type Outgoing } from './domain/messages.ts';
import type { Metrics } from './metrics.ts';
import type { Inbox } from './store/inbox.ts';
import { zh } from './views/zh.ts';

/** Test hooks: faults injected at the points where a crash is most harmful. */
export interface Faults {
  /** After a message's effects are stored, before its replies are queued. */
  afterCommit?: () => void;
}

export interface InboundOptions {
  inbox: Inbox;
  outbox: OutboxQueue;
  log: Logger;
  metrics: Metrics;
  handle(msg: IncomingMessage): Promise<Outgoing[]>;
  handleCard(click: CardClick): Promise<{ out: Outgoing[]; result: CardClickResult }>;
  faults?: Faults;
}

/**
 * Every incoming message and card click of every platform, handled at least once and answered
 * once: admitted by the inbox (a replay of a handled message is ignored; a retry while another
 * attempt runs waits, then is refused with 503), handled, its replies delivered through the outbox
 * queue under the message's key, and only then marked done. A handler that finds the message's
 * effects already stored by an attempt that died replays the messages that attempt committed.
 * In-flight work is tracked so a graceful stop can wait for it.
 */
export class Inbound {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly o: InboundOptions) {}

  /** Handles one message end to end; throws when it was not handled (the platform retries). */
  readonly message = (msg: IncomingMessage): Promise<void> => this.track(this.one(msg));

  readonly card = (click: CardClick): Promise<CardClickResult> => this.track(this.oneCard(click));

  /** Waits for the work in flight, at most `ms`; true when all of it finished. */
  async drain(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const all = Promise.allSettled([...this.inFlight]).then(() => true);
    const done = await Promise.race([all, timeout]);
    clearTimeout(timer);
    return done;
  }

  get busy(): number {
    return this.inFlight.size;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => {});
    return p;
  }

  private async one(msg: IncomingMessage): Promise<void> {
    const key = outboxKeyOf(msg);
    const lease = await this.o.inbox.admit(msg.platform, msg.messageId, key);
    if (lease === 'done') {
      this.o.log.debug({ platform: msg.platform, messageId: msg.messageId }, 'replayed message ignored');
      return;
    }
    const stopTimer = this.o.metrics.handling.startTimer({ platform: msg.platform });
    try {
      await this.deliver(key, await this.o.handle(msg));
      await lease.finish();
    } catch (err) {
      await lease.release();
      this.o.log.error({ err, platform: msg.platform, messageId: msg.messageId }, 'message handling failed');
      throw err;
    } finally {
      stopTimer();
    }
  }

  private async oneCard(click: CardClick): Promise<CardClickResult> {
    const key = outboxKeyOf({ platform: click.platform, messageId: click.clickId });
    const lease = await this.o.inbox.admit(click.platform, click.clickId, key);
    if (lease === 'done') return { toast: zh.card.done };
    let handled: Awaited<ReturnType<InboundOptions['handleCard']>>;
    try {
      handled = await this.o.handleCard(click);
    } catch (err) {
      await lease.release();
      throw err;
    }
    // The clicker's answer (toast, redrawn card) first: platforms give it a few seconds (Feishu 3 s,
    // WeCom 5 s) and the replies to the chats may take longer. They were committed with the
    // command's effects, so they are delivered now in the background (tracked: a graceful stop
    // waits for them) and the click is marked done after.
    void this.track(
      (async () => {
        try {
          await this.deliver(key, handled.out);
          await lease.finish();
        } catch (err) {
          await lease.release();
          this.o.log.error({ err, platform: click.platform, clickId: click.clickId }, 'card click replies not delivered now; the outbox relay sends them');
        }
      })(),
    );
    return handled.result;
  }

  /** What the handler says, or — when it found its work already done — what that earlier attempt committed. */
  private async deliver(key: string, out: Outgoing[]): Promise<void> {
    this.o.faults?.afterCommit?.();
    const items = out.length ? out : ((await this.o.inbox.pending(key))?.items ?? []);
    if (!out.length && items.length) this.o.log.info({ key, items: items.length }, 'replaying the replies of an attempt that did not finish');
    await this.o.outbox.deliver(key, items);
  }
}
