import type { Policy } from '../domain/contract/policy.ts';
import { contractFor } from '../domain/contract/contract.ts';
import { chatByPlatformId, membersWithRole } from '../domain/contract/roster.ts';
import { toReporter, toReporters, type Outgoing } from '../domain/messages.ts';
import { preview } from '../domain/message-text.ts';
import type { TimerNotice } from '../domain/sla/decide.ts';
import { timeLeft } from '../domain/sla/deadline.ts';
import type { Ticket } from '../domain/ticket.ts';
import { assigneeName, chatName, deadlineOf, levelName, ticketCard, withReplyBox } from './ticket.ts';
import { formatSpan, formatWindow, leftPhrase, overPhrase } from './time.ts';
import { zh, type Audience, type TimerText } from './zh.ts';
import { clockCalendar } from '../domain/contract/contract.ts';

/**
 * What a due SLA timer says, to whom: one message per person (worded for their role: the one who
 * acts, the lead who follows up, the manager) and one for the team group, each saying where the
 * clock stands now — a notice that folds missed steps says so.
 */
export function timerMessages(p: Policy, t: Ticket, d: TimerNotice, now: number): Outgoing[] {
  const c = d.clock;
  const contract = contractFor(p, t);
  const left = timeLeft(c.dueAt, now, clockCalendar(contract, c));
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
  const card = d.step === 'remind' ? undefined : withReplyBox({ ...ticketCard(p, t, now), color: d.step === 'approach' ? ('orange' as const) : ('red' as const) }, t.n);
  const msg = (role: Audience) => ({ text: say(role), ...(card ? { card } : {}) });
  const out: Outgoing[] = d.recipients.staff.map((r) => ({ dest: { to: 'staff', staffId: r.staffId }, msg: msg(r.role) }));
  if (d.recipients.team) out.push({ dest: { to: 'team' }, msg: msg('team') });
  // The reporter was promised this deadline: told once, when it is first known to be missed.
  // (Not when the ticket lives in the team group itself, as monitoring tickets do: the team was just told.)
  if (d.breachNew && p.notify.reporter.breach && chatByPlatformId(p, t.chat.platform, t.chat.chatId)?.role !== 'team') {
    const text = breachForReporter(p, t, d);
    for (const dest of toReporters(t)) out.push({ dest, msg: { text } });
  }
  return out;
}

/** 响应已超时，已通知组长李爽跟进: the lead follows up; the manager when the lead holds the ticket. */
function breachForReporter(p: Policy, t: Ticket, d: TimerNotice): string {
  const clock = zh.clockNames[d.clock.name]!;
  const leads = membersWithRole(p, 'lead');
  const role = leads.some((m) => m.id === t.assignee) ? 'manager' : 'lead';
  const told = new Set(d.recipients.staff.map((r) => r.staffId));
  const names = membersWithRole(p, role).filter((m) => told.has(m.id)).map((m) => m.name);
  return names.length ? zh.reporter.breach({ n: t.n, clock, role: zh.roleNames[role]!, who: names.join('、') }) : zh.reporter.breachTeam({ n: t.n, clock });
}

/** The one reminder to the reporter to sign the service report. */
export function signoffReminder(t: Ticket): Outgoing {
  return { dest: toReporter(t), msg: { text: zh.timer.signoff({ n: t.n, name: t.reporter.name }) } };
}

/** A pause ended at the time the engineer gave or at the cap: the team and every reporter hear the new deadline. */
export function resumeNotices(p: Policy, before: Ticket, after: Ticket, now: number): Outgoing[] {
  const clock = Object.values(after.clocks).find((c) => c && c.stoppedAt === undefined && before.clocks[c.name]?.pausedAt !== undefined);
  const capped = after.history.at(-1)?.action === 'resume' && after.history.at(-1)?.detail === 'cap';
  const text = zh.pause.resumed({ n: after.n, paused: formatWindow(after.pauses?.at(-1)?.credited ?? 0), deadline: clock ? deadlineOf(p, after, clock, now) : '' }) + (capped ? zh.pause.capReached : '');
  return [{ dest: { to: 'team' }, msg: { text } }, ...toReporters(after).map((dest) => ({ dest, msg: { text } }))];
}
