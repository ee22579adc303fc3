import type { Card } from '../../domain/messages.ts';

/**
 * Our cards as WeCom template cards (button_interaction: title, up to 6 key/value lines, up to 6
 * buttons). A button's key carries the ticket, the card's state version and the command, so a
 * click on an outdated card is recognised as on Feishu. Cards without buttons go as markdown text.
 */

/** WeCom's limits for a template card (the admin console's documentation). */
const MAX_SUB_TITLE = 112;
const MAX_LINES = 6;
const MAX_BUTTONS = 6;

export interface TemplateCard {
  card_type: 'button_interaction';
  main_title: { title: string };
  sub_title_text?: string;
  horizontal_content_list?: { keyname: string; value: string }[];
  button_list: { text: string; style: number; key: string }[];
  task_id: string;
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function buttonKey(card: Card, command: string): string {
  return `${card.ticket?.n ?? ''}|${card.ticket?.version ?? ''}|${command}`;
}

/** The ticket, version and command a clicked button's key carries; undefined for a key not ours. */
export function parseButtonKey(key: string): { command: string; ticket?: { n: number; version: number } } | undefined {
  const m = /^(\d*)\|(\d*)\|(.+)$/s.exec(key);
  if (!m) return undefined;
  return { command: m[3]!, ...(m[1] && m[2] ? { ticket: { n: Number(m[1]), version: Number(m[2]) } } : {}) };
}

/** Whether a message's card becomes a template card (it has buttons); the rest goes as text. */
export function hasButtons(card: Card | undefined): card is Card & { actions: NonNullable<Card['actions']> } {
  return !!card?.actions?.length;
}

/** The template card of a card with buttons; `text` goes in the sub-title when short enough (else it is sent before, as text). */
export function renderTemplateCard(card: Card, text: string, taskId: string): TemplateCard {
  const facts = card.fields.slice(0, MAX_LINES).map((f) => ({ keyname: cut(f.label, 10), value: cut(f.value, 60) }));
  return {
    card_type: 'button_interaction',
    main_title: { title: cut(card.title, 36) },
    ...(text ? { sub_title_text: cut(text, MAX_SUB_TITLE) } : {}),
    ...(facts.length ? { horizontal_content_list: facts } : {}),
    button_list: card.actions!.slice(0, MAX_BUTTONS).map((a, i) => ({ text: cut(a.label, 10), style: i === 0 ? 1 : 2, key: buttonKey(card, a.command) })),
    task_id: taskId,
  };
}

/** Whether the text fits the card's sub-title whole. */
export function fitsCard(text: string): boolean {
  return text.length <= MAX_SUB_TITLE;
}
