import type { Platform } from './platform.ts';
import { coReportersOf, type Attachment, type ChatKind, type Ticket } from './ticket.ts';

/**
 * The platform-neutral message model between the channels and everything above them: what comes
 * in (one normalised type for every platform) and what goes out (text plus an optional card, to a
 * destination the outbox resolves). Channels render cards natively (Feishu) or as text (WeChat).
 */

/** One normalised incoming chat message; nothing above the adapters sees platform formats. */
export interface IncomingMessage {
  platform: Platform;
  chatId: string;
  chatKind: ChatKind;
  sender: { userId: string; name: string };
  text: string;
  /** The platform's own mention of the bot (the handler also accepts a leading "@<bot name>"). */
  mentionsBot: boolean;
  messageId: string;
  at: number;
  attachments: Attachment[];
  /** Roster id when the adapter itself proved the sender is staff (WeChat binding). */
  staffId?: string;
  /** The message this one replies to (quotes), when the platform says: its id, and its text and author when known. */
  quoted?: { messageId: string; text?: string; fromBot?: boolean };
}

export type CardColor = 'red' | 'orange' | 'yellow' | 'blue' | 'green' | 'grey';

/** A structured message each adapter renders natively (Feishu card; plain text elsewhere). */
export interface Card {
  title: string;
  color: CardColor;
  fields: { label: string; value: string }[];
  /** Commands the reader may send next, shown as buttons where the platform has them. */
  actions?: { label: string; command: string }[];
  /** Links shown as buttons where the platform has them (the full service report); the text carries the URL too. */
  links?: { label: string; url: string }[];
  /** A text box and a button that sends `<command> <what was typed>` (Feishu form); absent elsewhere. */
  input?: { placeholder: string; button: string; command: string };
  /** The message text already states every fact of the card (plain-text platforms send it alone). */
  textComplete?: boolean;
  /** A small bar chart where the platform draws charts (Feishu); the text carries the same numbers. */
  chart?: { title: string; bars: { label: string; value: number }[] };
  /** The ticket the card shows and its state version, so a click on an outdated card is recognised. */
  ticket?: { n: number; version: number };
}

export interface OutgoingMessage {
  text: string;
  card?: Card;
}

/** Platform-independent destinations the handlers speak in; the outbox resolves them. */
export type Destination =
  | { to: 'origin'; platform: Platform; chatId: string; replyTo?: string }
  | { to: 'team' }
  /** A chat of the policy (chats[].id), on every platform it has an id for. */
  | { to: 'chat'; chatId: string }
  | { to: 'staff'; staffId: string }
  | { to: 'user'; platform: Platform; userId: string };

export interface Outgoing {
  dest: Destination;
  msg: OutgoingMessage;
}

/** A button pressed on a card: the command it carries, run as if the person had typed it. */
export interface CardClick {
  platform: Platform;
  chatId: string;
  chatKind: ChatKind;
  /** The card's own message (replies go under it). */
  messageId: string;
  /** Unique per click (the platform's event id): dedupe and the command's message id. */
  clickId: string;
  sender: { userId: string; name: string };
  command: string;
  /** The ticket and state version the card was drawn at. */
  ticket?: { n: number; version: number };
}

/** What the person sees after a click: a toast, and the card redrawn in its new state. */
export interface CardClickResult {
  toast: string;
  card?: Card;
  cardText?: string;
}

/** The outbox key of everything said in answer to one message (or card click): one per platform message. */
export function outboxKeyOf(msg: Pick<IncomingMessage, 'platform' | 'messageId'>): string {
  return `in-${msg.platform}-${msg.messageId}`;
}

/** The reporter's chat, under their report: where everything said to the reporter goes. */
export function toReporter(t: Pick<Ticket, 'chat' | 'messageId'>): Destination {
  return { to: 'origin', platform: t.chat.platform, chatId: t.chat.chatId, replyTo: t.messageId };
}

/** Every reporter's chat, under their own report (the first reporter's first): one each, no repeats. */
export function toReporters(t: Pick<Ticket, 'chat' | 'messageId' | 'coReporters'>): Destination[] {
  const all = [toReporter(t), ...coReportersOf(t).map((c) => toReporter(c))];
  const seen = new Set<string>();
  return all.filter((d) => {
    const k = JSON.stringify(d);
    return !seen.has(k) && !!seen.add(k);
  });
}

/** A reply to the chat a message came from, under that message. */
export function replyTo(msg: Pick<IncomingMessage, 'platform' | 'chatId' | 'messageId'>): Destination {
  return { to: 'origin', platform: msg.platform, chatId: msg.chatId, replyTo: msg.messageId };
}
