import type { Policy } from '../domain/contract/policy.ts';
import { stateVersion } from '../domain/lifecycle.ts';
import type { OutgoingMessage } from '../domain/messages.ts';
import { preview } from '../domain/message-text.ts';
import type { Ticket } from '../domain/ticket.ts';
import { chatName, deadlineOf, levelName, nextActions, severityColor, withReplyBox } from './ticket.ts';
import { zh } from './zh.ts';

/**
 * The team group's notice of a new ticket: text, and a card with the next steps as buttons.
 * `maybeSame`: an open ticket this may be the same fault as — said, with a one-tap 合并.
 */
export function teamNotice(p: Policy, t: Ticket, now: number, maybeSame?: number): OutgoingMessage {
  const level = levelName(p, t);
  const deadline = deadlineOf(p, t, t.clocks.response!, now);
  const chat = chatName(p, t);
  const hint = maybeSame !== undefined ? zh.incident.maybeSameLine(t.n, maybeSame) : '';
  const text = zh.teamNotice.text({ n: t.n, levelName: level, reporter: t.reporter.name, chat, text: preview(t.text, 300), deadline }) + (hint ? `\n${hint}` : '');
  return {
    text,
    card: withReplyBox({
      title: zh.teamNotice.title(t.n, level),
      color: severityColor(t),
      fields: [
        { label: zh.fields.reporter, value: `${t.reporter.name}（${chat}）` },
        { label: zh.fields.content, value: preview(t.text, 300) },
        { label: zh.fields.deadline, value: `${deadline}前` },
        ...(hint ? [{ label: zh.fields.note, value: hint }] : []),
      ],
      actions: [...nextActions(t), ...(maybeSame !== undefined ? [{ label: zh.incident.mergeButton(maybeSame), command: `合并 #${t.n} #${maybeSame}` }] : [])],
      ticket: { n: t.n, version: stateVersion(t) },
    }, t.n),
  };
}
