import type { Policy } from '../domain/contract/policy.ts';
import { LEVELS } from '../domain/levels.ts';
import type { OutgoingMessage } from '../domain/messages.ts';
import { preview } from '../domain/message-text.ts';
import type { Ticket } from '../domain/ticket.ts';
import { chatName, levelName } from './ticket.ts';
import { formatWindow } from './time.ts';
import { zh } from './zh.ts';

/** The team's one line for the tickets of a storm whose notices were held back. */
export function stormSummary(p: Policy, tickets: Ticket[]): OutgoingMessage {
  const first = tickets[0]!;
  const levels = LEVELS.map((l) => [l, tickets.filter((t) => t.level === l).length] as const)
    .filter(([, k]) => k)
    .map(([l, k]) => `${levelName(p, { ...first, level: l })} ${k}`)
    .join('、');
  const shown = tickets.slice(0, 10).map((t) => `#${t.n} ${preview(t.text, 12)}`);
  const list = tickets.length > shown.length ? `${shown.join('；')} 等` : shown.join('；');
  return { text: zh.teamNotice.storm({ chat: chatName(p, first), count: tickets.length, every: formatWindow(p.storm.summaryEvery), list, levels }) };
}
