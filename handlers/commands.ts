import { randomBytes } from 'node:crypto';
import type { Destination, IncomingMessage, Outgoing } from '../src/channels/types.ts';
import { parseCommand, parseLevel, parseRating, parseResolution, type CommandName, type ParsedCommand } from '../src/domain/command-parse.ts';
import { inspectionStatus } from '../src/domain/inspections.ts';
import { apply, type By, type LifecycleAction } from '../src/domain/lifecycle.ts';
import type { RosterMember } from '../src/domain/policy.ts';
import { staffOfSender } from '../src/domain/roster.ts';
import { isOpen, type Ticket } from '../src/domain/ticket.ts';
import { zh } from '../src/i18n/zh.ts';
import type { Services } from './services.ts';
import { assigneeName, deadlineOf, outcomeText, serviceReport, ticketDetail, ticketLine } from './ticket-view.ts';

const STAFF_ONLY = new Set<CommandName>(['inspected', 'reload', 'ack', 'assign', 'dispatch', 'arrive', 'resolve', 'backup', 'level', 'note', 'close', 'reopen', 'todo']);
const REPORTER_ONLY = new Set<CommandName>(['confirm', 'rate', 'cancel']);
const WORD: Record<CommandName, string> = {
  ack: '接单', assign: '派单', dispatch: '上门', arrive: '到场', resolve: '已解决', backup: '备用', level: '改级', note: '备注',
  reload: '重载知识库', whoami: '我的ID', inspected: '巡检完成', close: '关闭', reopen: '重开', todo: '待办', status: '查询', mine: '我的工单', confirm: '确认', rate: '评价', cancel: '撤销', help: '帮助',
};

/**
 * Commands typed in chat (or sent by a card button). Returns undefined when the text is not a
 * command, so intake takes it. In groups a command needs no mention: it starts with the word.
 * Staff are recognised only by platform user id from the roster.
 */
export async function handleCommand(msg: IncomingMessage, text: string, _addressed: boolean, s: Services): Promise<Outgoing[] | undefined> {
  const cmd = parseCommand(text);
  if (!cmd) return undefined;
  if (!(await s.store.markMessage(msg.platform, msg.messageId, `command:${cmd.name}`))) return [];
  const staff = staffOfSender(s.policy, msg.platform, msg.sender.userId, msg.staffId);
  const here: Destination = { to: 'origin', platform: msg.platform, chatId: msg.chatId, replyTo: msg.messageId };
  const reply = (text: string): Outgoing[] => [{ dest: here, msg: { text } }];
  const now = s.now();

  // For admins filling in the roster: the ids this platform gives the sender and this chat.
  if (cmd.name === 'whoami') return reply(zh.cmd.whoami({ platform: msg.platform, userId: msg.sender.userId, chatId: msg.chatId, staff: staff?.name }));
  if (cmd.name === 'help') return reply(staff ? zh.helpStaff(s.policy.bot.name) : zh.helpTeacher(s.policy.bot.name, s.policy.service.phone));
  if (STAFF_ONLY.has(cmd.name) && !staff) {
    s.log.warn({ platform: msg.platform, userId: msg.sender.userId, command: cmd.name }, 'staff command refused: sender not on the roster');
    return reply(zh.cmd.staffOnly(WORD[cmd.name]));
  }
  if (cmd.name === 'todo') return reply(await todo(staff!, s, now));
  if (cmd.name === 'inspected') {
    await s.inspections.record({ at: now, by: staff!.name, notes: cmd.args });
    const st = inspectionStatus(s.policy, now, await s.inspections.all());
    s.log.info({ by: staff!.id }, 'inspection recorded');
    return reply(zh.cmd.inspected({ done: st?.done, required: s.policy.inspections.perSemester, semester: st?.semester.name }));
  }
  if (cmd.name === 'reload') {
    const r = s.knowledge.reload();
    return reply(zh.kb.reloaded(r.entries, r.errors.length));
  }
  if (cmd.name === 'mine') {
    const mine = await s.store.byReporter(msg.platform, msg.sender.userId, 10);
    return reply(mine.length ? [zh.cmd.mineTitle(mine.length), ...mine.map((t) => ticketLine(s.policy, t, now))].join('\n') : zh.cmd.mineEmpty);
  }

  // Which ticket: the number given, or for a reporter's own steps their latest fitting ticket.
  let n = cmd.n;
  let args = cmd.args;
  if (cmd.name === 'rate' && n !== undefined && !cmd.hash && !args && n >= 1 && n <= 5) {
    args = String(n); // "评价 5": a score for the latest resolved ticket
    n = undefined;
  }
  if (n === undefined && REPORTER_ONLY.has(cmd.name)) n = (await latestOwn(msg, s, cmd.name))?.n;
  if (n === undefined) return reply(zh.cmd.needNumber(WORD[cmd.name]));
  const ticket = await s.store.get(n);
  if (!ticket) return reply(zh.cmd.notFound(n));
  const isReporter = ticket.reporter.platform === msg.platform && ticket.reporter.userId === msg.sender.userId;
  if (cmd.name === 'status') return isReporter || staff ? [{ dest: here, msg: ticketDetail(s.policy, ticket, now) }] : reply(zh.cmd.notYours(n));
  if (REPORTER_ONLY.has(cmd.name) && !isReporter) {
    s.log.warn({ platform: msg.platform, userId: msg.sender.userId, command: cmd.name, ticket: n }, 'reporter command refused: not the reporter');
    return reply(zh.cmd.reporterOnly(n));
  }

  const action = toAction({ ...cmd, n, args }, s, staff);
  if ('error' in action) return reply(action.error);
  const by: By = staff ? { kind: 'staff', id: staff.id, name: staff.name } : { kind: 'user', id: msg.sender.userId, name: msg.sender.name };
  let refusal: string | undefined;
  const after = await s.store.update(n, (t) => {
    const r = apply(t, action, by, now, s.policy);
    if (!r.ok) refusal = r.reason;
    return r.ok ? r.ticket : undefined;
  });
  if (refusal || !after) return reply(refusal ?? zh.cmd.notFound(n));
  const before = ticket;
  await s.hooks.changed?.(before, after);
  s.log.info({ ticket: n, command: cmd.name, by: by.kind === 'staff' ? by.id : 'reporter' }, 'command applied');
  return announce(action, before, after, by, msg, s, now);
}

function toAction(cmd: ParsedCommand & { n: number }, s: Services, staff: RosterMember | undefined): LifecycleAction | { error: string } {
  switch (cmd.name) {
    case 'ack': return { kind: 'ack' };
    case 'dispatch': return { kind: 'dispatch' };
    case 'arrive': return { kind: 'arrive' };
    case 'reopen': return { kind: 'reopen' };
    case 'confirm': return { kind: 'confirm' };
    case 'cancel': return { kind: 'cancel' };
    case 'note': return { kind: 'note', text: cmd.args };
    case 'close': return { kind: 'close', reason: cmd.args };
    case 'backup': return { kind: 'backup', text: cmd.args };
    case 'resolve': return { kind: 'resolve', ...parseResolution(cmd.args), reportToken: randomBytes(16).toString('hex') };
    case 'level': {
      const level = parseLevel(cmd.args);
      return level ? { kind: 'level', level } : { error: zh.cmd.badLevel };
    }
    case 'rate': {
      const r = parseRating(cmd.args);
      return r ? { kind: 'rate', ...r } : { error: zh.cmd.badRating(cmd.n) };
    }
    case 'assign': {
      const name = cmd.args.replace(/^(给|to)\s*/i, '').trim() || staff?.name || '';
      const engineers = s.policy.roster.filter((m) => m.roles.includes('engineer') || m.roles.includes('lead') || m.roles.includes('deputy'));
      const m = s.policy.roster.find((r) => r.name === name || r.id === name.toLowerCase());
      if (!m) return { error: zh.cmd.unknownMember(name, engineers.map((e) => e.name).join('、')) };
      return { kind: 'assign', to: m.id, toName: m.name };
    }
    default: return { error: zh.cmd.needNumber(WORD[cmd.name]) };
  }
}

/** Tells the people concerned: the one who typed the command, the reporter's chat, the team. */
function announce(a: LifecycleAction, before: Ticket, t: Ticket, by: By, msg: IncomingMessage, s: Services, now: number): Outgoing[] {
  const p = s.policy;
  const here: Destination = { to: 'origin', platform: msg.platform, chatId: msg.chatId, replyTo: msg.messageId };
  const reporterChat: Destination = { to: 'origin', platform: t.chat.platform, chatId: t.chat.chatId, replyTo: t.messageId };
  const sameChat = msg.platform === t.chat.platform && msg.chatId === t.chat.chatId;
  const out: Outgoing[] = [];
  const say = (text: string) => out.push({ dest: here, msg: { text } });
  /** To the reporter: in their chat, unless the command was typed there (then the reply is enough). */
  const tellReporter = (text: string, card?: Outgoing['msg']['card']) => {
    if (!sameChat) out.push({ dest: reporterChat, msg: { text, ...(card ? { card } : {}) } });
  };
  const n = t.n;
  switch (a.kind) {
    case 'ack': {
      const c = t.clocks.response!;
      say(zh.cmd.ack({ n, who: by.name, outcome: outcomeText(p, c, now) }));
      tellReporter(zh.cmd.ackToReporter({ n, who: by.name }));
      break;
    }
    case 'assign':
      say(zh.cmd.assign({ n, who: a.toName }));
      out.push({ dest: { to: 'staff', staffId: a.to }, msg: { ...ticketDetail(p, t, now), text: `${zh.cmd.assignToAssignee({ n, by: by.name })}\n${ticketDetail(p, t, now).text}` } });
      break;
    case 'dispatch': {
      const text = zh.cmd.dispatch({ n, who: assigneeName(p, t), arrive: deadlineOf(p, t.clocks.arrival!, now), resolve: deadlineOf(p, t.clocks.resolution!, now), backup: deadlineOf(p, t.clocks.backup!, now) });
      say(text);
      tellReporter(text);
      break;
    }
    case 'arrive': {
      const text = zh.cmd.arrive({ n, who: by.name, outcome: outcomeText(p, t.clocks.arrival!, now) });
      say(text);
      tellReporter(text);
      break;
    }
    case 'resolve': {
      say(zh.cmd.resolve({ n, who: by.name }));
      // The service report goes to the reporter's chat in any case: it is what they sign.
      const report = serviceReport(p, t, now);
      const link = s.reportLink?.(t);
      out.push({ dest: reporterChat, msg: link ? { ...report, text: `${report.text}\n完整服务报告（可打印存档）：${link}` } : report });
      break;
    }
    case 'backup': {
      const text = zh.cmd.backup({ n, outcome: outcomeText(p, t.clocks.backup!, now) });
      say(text);
      tellReporter(text);
      break;
    }
    case 'level': {
      const r = t.clocks.response;
      const deadline = r && r.stoppedAt === undefined ? `响应时限 ${deadlineOf(p, r, now)}前。` : '';
      const text = zh.cmd.level({ n, from: p.levels[before.level].name, to: p.levels[t.level].name, deadline });
      say(text);
      tellReporter(text);
      break;
    }
    case 'note':
      say(zh.cmd.note(n));
      break;
    case 'close': {
      const text = zh.cmd.close({ n, reason: a.reason });
      say(text);
      tellReporter(text);
      break;
    }
    case 'reopen': {
      const text = zh.cmd.reopen({ n, deadline: deadlineOf(p, t.clocks.response!, now) });
      say(text);
      tellReporter(text);
      out.push({ dest: { to: 'team' }, msg: { text } });
      break;
    }
    case 'confirm':
      say(zh.cmd.confirm({ n }));
      out.push({ dest: { to: 'team' }, msg: { text: zh.cmd.confirmToTeam({ n, who: by.name }) } });
      break;
    case 'rate':
      say(zh.cmd.rate({ n, score: a.score }));
      if (a.score <= 2) out.push({ dest: { to: 'team' }, msg: { text: zh.cmd.lowRating({ n, score: a.score, comment: a.comment }) } });
      break;
    case 'cancel':
      say(zh.cmd.cancel(n));
      out.push({ dest: { to: 'team' }, msg: { text: zh.cmd.cancelToTeam({ n, who: by.name }) } });
      break;
  }
  return out;
}

async function todo(me: RosterMember, s: Services, now: number): Promise<string> {
  const open = (await s.store.openTickets()).filter((t) => t.assignee === me.id || !t.assignee);
  if (!open.length) return zh.cmd.todoEmpty;
  open.sort((a, b) => earliestDue(a) - earliestDue(b));
  return [zh.cmd.todoTitle(open.length), ...open.map((t) => ticketLine(s.policy, t, now))].join('\n');
}

function earliestDue(t: Ticket): number {
  return Math.min(...Object.values(t.clocks).filter((c) => c && c.stoppedAt === undefined).map((c) => c!.dueAt), Number.MAX_SAFE_INTEGER);
}

/** The reporter's latest ticket a confirm / rate / cancel could mean. */
async function latestOwn(msg: IncomingMessage, s: Services, name: CommandName): Promise<Ticket | undefined> {
  const mine = await s.store.byReporter(msg.platform, msg.sender.userId, 10);
  if (name === 'cancel') return mine.find((t) => isOpen(t));
  if (name === 'confirm') return mine.find((t) => t.status === 'resolved');
  return mine.find((t) => t.status === 'resolved' || t.status === 'confirmed');
}
