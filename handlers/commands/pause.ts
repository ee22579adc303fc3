import { parsePause } from '../../src/domain/command-parse.ts';
import { contractFor } from '../../src/domain/contract/contract.ts';
import { pauseEndsAt } from '../../src/domain/sla/pause.ts';
import { formatLocal } from '../../src/views/time.ts';
import { zh } from '../../src/views/zh.ts';
import { audience, defineCommand } from './command.ts';
import { step, ticketOf } from './ticket-step.ts';

/**
 * 挂起 #N 原因 [恢复时间]: the engineer asks to stop the clocks while the school makes them wait.
 * With policy pause.needsConsent (this contract) the reporter is asked first (同意 / 不同意) and
 * the clocks run until they agree; otherwise they stop now. docs/sla.md "Pausing".
 */
export default defineCommand({
  name: 'pause',
  words: ['挂起', '暂停计时'],
  aliases: ['/pause'],
  who: 'staff',
  help: {
    usage: '挂起 #N 等待备件 [明天8:00]',
    staff: '暂停计时（需报告人同意；可写恢复时间）',
    readme: { who: 'staff', text: "ask to pause the ticket's clocks with a reason (and optionally when it resumes); with the reporter's consent (同意) the clocks stop and their deadlines move by the paused time" },
  },
  async run(ctx) {
    const found = await ticketOf(ctx);
    if ('out' in found) return found.out;
    const p = ctx.s.policy;
    const tz = contractFor(p, found.t).timezone;
    const { reason, until, error } = parsePause(ctx.cmd.args, ctx.now, tz);
    if (error) return ctx.reply(zh.pause.badTime(error));
    if (!reason) return ctx.reply(zh.pause.usage(p.pause.reasons));
    const consent = p.pause.needsConsent;
    return step(ctx, found.t, { kind: 'pause', reason, consent, ...(until !== undefined ? { until } : {}) }, ({ after: t }) => {
      const a = audience(ctx, t);
      // The time it ends by itself: the one given, or the cap when that comes first.
      const ends = until !== undefined ? pauseEndsAt(t)?.at ?? until : undefined;
      const untilText = ends !== undefined ? formatLocal(ends, ctx.now, tz) : '';
      if (consent) {
        a.say(zh.pause.proposed(t.n));
        const ask = zh.pause.ask({ n: t.n, reason, until: untilText });
        for (const dest of a.reporterChats) a.to(dest, { text: ask, card: { title: zh.pause.askCardTitle(t.n), color: 'blue', fields: [{ label: '原因', value: reason }], actions: [{ label: '同意', command: `同意 #${t.n}` }, { label: '不同意', command: `不同意 #${t.n}` }], textComplete: true } });
      } else {
        a.say(zh.pause.started({ n: t.n, reason, until: untilText }));
        a.tellReporter(zh.pause.startedForReporter({ n: t.n, reason }));
      }
      return a.out;
    });
  },
});

