import type { Policy } from '../domain/contract/policy.ts';
import { contractFor } from '../domain/contract/contract.ts';
import type { Outgoing } from '../domain/messages.ts';
import { preview } from '../domain/message-text.ts';
import type { TimerDecision } from '../domain/sla/decide.ts';
import { timeLeft } from '../domain/sla/deadline.ts';
import type { StepName } from '../domain/sla/schedule.ts';
import type { Ticket } from '../domain/ticket.ts';
import { assigneeName, chatName, deadlineOf, levelName, ticketCard } from './ticket.ts';
import { formatWindow } from './time.ts';
import { zh, type TimerText } from './zh.ts';

/** What a fired SLA step says, to whom: private messages to the staff it names, and the team group. */
export function timerMessages(p: Policy, t: Ticket, step: StepName, d: Extract<TimerDecision, { act: true }>, now: number): Outgoing[] {
  const c = d.clock;
  const contract = contractFor(p, t);
  const left = timeLeft(c.dueAt, now, contract.calendar);
  const a: TimerText = {
    n: t.n,
    level: levelName(p, t),
    clock: zh.clockNames[c.name]!,
    deadline: deadlineOf(p, t, c, now),
    left: formatWindow(Math.max(0, left)),
    reporter: t.reporter.name,
    chat: chatName(p, t),
    assignee: assigneeName(p, t),
    text: preview(t.text, 120),
    command: zh.clockCommand[c.name],
  };
  const text =
    step === 'remind' ? zh.timer.remind(a)
    : step === 'approach' ? zh.timer.approach(a)
    : step === 'breach' ? zh.timer.breach(a)
    : zh.timer.repeat({ ...a, k: d.repeat, max: contract.reminders.repeatMax, over: formatWindow(Math.max(0, -left)) });
  const card = step === 'remind' ? undefined : { ...ticketCard(p, t, now), color: step === 'approach' ? ('orange' as const) : ('red' as const) };
  const msg = { text, ...(card ? { card } : {}) };
  const out: Outgoing[] = d.recipients.staff.map((staffId) => ({ dest: { to: 'staff', staffId }, msg }));
  if (d.recipients.team) out.push({ dest: { to: 'team' }, msg });
  return out;
}

/** The one reminder to the reporter to sign the service report. */
export function signoffReminder(t: Ticket): Outgoing {
  return { dest: { to: 'origin', platform: t.chat.platform, chatId: t.chat.chatId, replyTo: t.messageId }, msg: { text: zh.timer.signoff({ n: t.n, name: t.reporter.name }) } };
}
