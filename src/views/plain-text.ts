import type { OutgoingMessage } from '../domain/messages.ts';

/** A card as plain text, for platforms without cards: the same facts, and the commands to type. */
export function plainText(msg: OutgoingMessage): string {
  const c = msg.card;
  if (!c || c.textComplete) return msg.text;
  const facts = c.fields.filter((f) => !msg.text.includes(f.value)).map((f) => `${f.label}：${f.value}`);
  const actions = c.actions?.length ? [`可回复：${c.actions.map((a) => `「${a.command.trim()}」`).join(' ')}`] : [];
  return [msg.text, ...facts, ...actions].join('\n');
}
