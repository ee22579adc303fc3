import { contractFor } from '../../src/domain/contract/contract.ts';
import { pauseEndsAt } from '../../src/domain/sla/pause.ts';
import { deadlineOf } from '../../src/views/ticket.ts';
import { formatLocal, formatWindow } from '../../src/views/time.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf, unlessReporter } from './ticket-step.ts';

/** 同意 #N: the reporter agrees to the engineer's pause; the clocks stop now. */
export const agree = defineCommand({
  name: 'pause-consent',
  words: ['同意'],
  aliases: ['/agree'],
  who: 'anyone',
  help: { usage: '同意 #N', teacher: '同意工程师暂停计时的申请', readme: { who: 'teacher', text: "agree to the engineer's pause: the clocks stop until 恢复, the time given, or the reporter's next message" } },
  async run(ctx) {
    const found = await ticketOf(ctx, { latest: (mine) => mine.find((t) => t.pause?.state === 'proposed') });
    if ('out' in found) return found.out;
    const refused = unlessReporter(ctx, found.t);
    if (refused) return refused;
    return step(ctx, found.t, { kind: 'pause-consent' }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      const tz = contractFor(ctx.s.policy, t).timezone;
      const ends = t.pause?.until !== undefined ? pauseEndsAt(t)?.at ?? t.pause.until : undefined; // the cap may come first
      const until = ends !== undefined ? formatLocal(ends, ctx.now, tz) : '';
      a.say(zh.pause.startedForReporter({ n: t.n, reason: t.pause?.reason ?? '' }));
      a.toTeam(`${zh.pause.started({ n: t.n, reason: t.pause?.reason ?? '', until })}（${by.name}已同意）`);
      return a.out;
    });
  },
});

/** 不同意 #N: the reporter declines; nothing stops. */
export const decline = defineCommand({
  name: 'pause-decline',
  words: ['不同意'],
  aliases: ['/decline'],
  who: 'anyone',
  help: { usage: '不同意 #N', teacher: '不同意暂停计时', readme: { who: 'teacher', text: "decline the engineer's pause: the clocks run on" } },
  async run(ctx) {
    const found = await ticketOf(ctx, { latest: (mine) => mine.find((t) => t.pause?.state === 'proposed') });
    if ('out' in found) return found.out;
    const refused = unlessReporter(ctx, found.t);
    if (refused) return refused;
    return step(ctx, found.t, { kind: 'pause-decline' }, ({ after: t, by }) => {
      const a = audience(ctx, t);
      a.say(zh.pause.declined(t.n));
      a.toTeam(zh.pause.declinedToTeam({ n: t.n, who: by.name }));
      return a.out;
    });
  },
});

/** 恢复 #N: staff end a pause; every paused deadline moves by the paused time. */
export const resume = defineCommand({
  name: 'resume',
  words: ['恢复', '恢复计时'],
  aliases: ['/resume'],
  who: 'staff',
  help: { usage: '恢复 #N', staff: '恢复计时（时限顺延暂停的时长）', readme: { who: 'staff', text: 'end a pause: every paused deadline moves by the paused time, the reminders are rescheduled' } },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    return step(ctx, found.t, { kind: 'resume', why: 'command' }, ({ before, after: t }) => resumedMessages(ctx, before, t));
  },
});

/** What a resume says: to the one who resumed, every reporter and (when typed elsewhere) the team. */
export function resumedMessages(ctx: Parameters<typeof resume.run>[0], before: Parameters<typeof deadlineOf>[1], t: Parameters<typeof deadlineOf>[1]) {
  const a = audience(ctx, t);
  const paused = t.pauses?.at(-1)?.credited ?? 0;
  const clock = Object.values(t.clocks).find((c) => c && c.stoppedAt === undefined && before.clocks[c.name]?.pausedAt !== undefined);
  const text = zh.pause.resumed({ n: t.n, paused: formatWindow(paused), deadline: clock ? deadlineOf(ctx.s.policy, t, clock, ctx.now) : '' });
  a.say(text);
  a.tellReporter(text);
  return a.out;
}

