import type { Policy } from '../domain/contract/policy.ts';
import { contractFor } from '../domain/contract/contract.ts';
import { membersWithRole } from '../domain/contract/roster.ts';
import type { Outgoing } from '../domain/messages.ts';
import { preview } from '../domain/message-text.ts';
import type { TimerNotice } from '../domain/sla/decide.ts';
import { timeLeft } from '../domain/sla/deadline.ts';
import type { Ticket } from '../domain/ticket.ts';
import { assigneeName, chatName, deadlineOf, levelName, ticketCard } from './ticket.ts';
import { formatSpan, leftPhrase, overPhrase } from './time.ts';
import { zh, type Audience, type TimerText } from './zh.ts';

/**
 * What a due SLA timer says, to whom: one message per person (worded for their role: the one who
 * acts, the lead who follows up, the manager) and one for the team group, each saying where the
 * clock stands now — a notice that folds missed steps says so.
 */
export function timerMessages(p: Policy, t: Ticket, d: TimerNotice, now: number): Outgoing[] {
  const c = d.clock;
  const contract = contractFor(p, t);
  const left = timeLeft(c.dueAt, now, contract.calendar);
  const a: TimerText = {
    n: t.n,
    level: levelName(p, t),
    clock: zh.clockNames[c.name]!,
    deadline: deadlineOf(p, t, c, now),
    left: leftPhrase(left),
    over: overPhrase(-left),
    overBy: -left >= 60_000 ? formatSpan(-left) : '',
    reporter: t.reporter.name,
    chat: chatName(p, t),
    assignee: assigneeName(p, t),
    text: preview(t.text, 120),
    command: zh.clockEnd[c.name](t.n),
    verb: zh.clockVerb[c.name],
    repeats: d.repeats,
    max: contract.reminders.repeatMax,
    managerTold: d.managerTold,
    manager: membersWithRole(p, 'manager').map((m) => m.name).join('、'),
  };
  const word = (role: Audience): string => {
    if (d.step === 'remind') return zh.timer.remind(a);
    if (d.step === 'approach') return zh.timer.approach(a, role);
    if (d.step === 'manager' && role === 'manager') return zh.timer.manager(a);
    if (d.step === 'manager' && role === 'team' && !d.breachNew) return zh.timer.managerTeam(a);
    if (d.breachNew) return zh.timer.breach(a, role);
    return zh.timer.repeat(a, role);
  };
  const say = (role: Audience): string => (d.catchUp ? `${word(role)}\n${d.steps.length > 1 ? zh.timer.catchUp : zh.timer.late}` : word(role));
  const card = d.step === 'remind' ? undefined : { ...ticketCard(p, t, now), color: d.step === 'approach' ? ('orange' as const) : ('red' as const) };
  const msg = (role: Audience) => ({ text: say(role), ...(card ? { card } : {}) });
  const out: Outgoing[] = d.recipients.staff.map((r) => ({ dest: { to: 'staff', staffId: r.staffId }, msg: msg(r.role) }));
  if (d.recipients.team) out.push({ dest: { to: 'team' }, msg: msg('team') });
  return out;
}

/** The one reminder to the reporter to sign the service report. */
export function signoffReminder(t: Ticket): Outgoing {
  return { dest: { to: 'origin', platform: t.chat.platform, chatId: t.chat.chatId, replyTo: t.messageId }, msg: { text: zh.timer.signoff({ n: t.n, name: t.reporter.name }) } };
}
