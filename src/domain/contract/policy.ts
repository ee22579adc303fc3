import { z } from 'zod';
import { IANAZone } from 'luxon';
import { isDurationText, parseDuration } from '../duration.ts';
import { LEVELS, type Level } from '../levels.ts';

// A bare 0 is "none" (e.g. `incident.joinWindow: 0`, off), as `0m` is; other numbers need a unit.
const durationText = z.preprocess(
  (v) => (v === 0 ? '0m' : v),
  z
    .string()
    .refine(isDurationText, { message: 'invalid duration (expected e.g. 45s, 30m, 2h, 72h)' })
    .transform(parseDuration),
);

/** A fraction of a window, written as `2/3`, `0.75` or `75%`. */
const fraction = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const t = String(v).trim();
    let x = NaN;
    const m = /^(\d+)\s*\/\s*(\d+)$/.exec(t);
    if (m) x = Number(m[1]) / Number(m[2]);
    else if (t.endsWith('%')) x = Number(t.slice(0, -1)) / 100;
    else x = Number(t);
    if (!(x > 0 && x < 1)) {
      ctx.addIssue({ code: 'custom', message: 'expected a fraction between 0 and 1 such as 2/3, 0.75 or 75%', input: v });
      return z.NEVER;
    }
    return x;
  });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm');

/** A person's or a chat's id on each platform, keyed by platform name (`sim`, `feishu` …). */
const platformIds = z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'platform name: lower-case letters and digits'), z.string().min(1));

/** The steps of a ticket the reporter hears of in their chat (policy notify.reporter.*). */
export const REPORTER_NOTICES = ['ack', 'assign', 'dispatch', 'arrive', 'level', 'breach', 'resolve'] as const;
export type ReporterNotice = (typeof REPORTER_NOTICES)[number];

export const ROLES = ['manager', 'lead', 'deputy', 'engineer', 'warehouse'] as const;
export type Role = (typeof ROLES)[number];

const levelSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(''),
    response: durationText,
    /** What this level's response window counts in, when not the contract's `calendar` (24x7 or a name of `calendars`). */
    calendar: z.string().optional(),
  })
  .strict();

export const policySchema = z
  .object({
    timezone: z.string().refine((tz) => IANAZone.isValidZone(tz), { message: 'unknown IANA time zone' }),
    bot: z.object({ name: z.string().min(1) }).strict(),
    levels: z
      .object(Object.fromEntries(LEVELS.map((l) => [l, levelSchema])) as Record<Level, typeof levelSchema>)
      .strict(),
    onsite: z.object({ arrive: durationText, resolve: durationText, backup: durationText }).strict(),
    /** Deprecated spelling of intake.followUpWindow (still read). */
    followUpWindow: durationText.optional(),
    intake: z
      .object({
        /**
         * A reporter's next message in the same chat this soon after their last one is added to their
         * open ticket. Real minutes: not scaled by AFTERSALES_TIME_SCALE (people type at real speed).
         */
        followUpWindow: durationText.optional(),
        /** A message naming #N (or replying to it) re-opens ticket N if it was resolved this recently. */
        reopenWithin: durationText.default(7 * 24 * 3600_000),
      })
      .strict()
      .default({ reopenWithin: 7 * 24 * 3600_000 }),
    /** What the reporter is told in their chat, one short line each (all on by default). */
    notify: z
      .object({
        reporter: z
          .object(Object.fromEntries(REPORTER_NOTICES.map((k) => [k, z.boolean().default(true)])) as Record<ReporterNotice, z.ZodDefault<z.ZodBoolean>>)
          .strict()
          .default(Object.fromEntries(REPORTER_NOTICES.map((k) => [k, true])) as Record<ReporterNotice, boolean>),
      })
      .strict()
      .default({ reporter: Object.fromEntries(REPORTER_NOTICES.map((k) => [k, true])) as Record<ReporterNotice, boolean> }),
    reminders: z
      .object({
        /** Private reminder to the assignee (or the engineers on duty), as a fraction of the window. */
        remind: fraction,
        /** Escalation to the team lead, privately and in the team group. */
        approach: fraction,
        /** After a breach, repeat to the team lead this often… */
        repeatEvery: durationText,
        /** …at most this many times. */
        repeatMax: z.number().int().min(0).max(50),
        /** Levels whose breach also goes to the manager (on-site clocks always do). */
        managerLevels: z.array(z.enum(LEVELS)),
        /** One reminder to the reporter to sign the service report, this long after 已解决 (also the sign-off window of the KPIs). */
        signoff: durationText,
        /**
         * A timer running later than its moment by more than this (downtime, a restore, a long
         * pause) sends one notice of the clock's current state instead of each missed step.
         */
        catchUpGrace: durationText.default(60_000),
      })
      .strict()
      .refine((r) => r.remind < r.approach, { message: 'remind must come before approach', path: ['approach'] }),
    digest: z
      .object({
        /** Local time of the daily digest, HH:mm or HH:mm:ss. */
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'expected HH:mm'),
        /** Policy chat ids (chats[].id) that get it. */
        chats: z.array(z.string()).min(1),
        /** Not posted on days off of the school's calendar, unless an L1/L2 is open or a deadline was missed the day before. */
        skipHolidays: z.boolean().default(false),
      })
      .strict()
      .default({ time: '08:30', chats: ['team'], skipHolidays: false }),
    /** Semester inspections (5.3.2: at least 2 proactive on-site inspections per semester). */
    inspections: z
      .object({
        perSemester: z.number().int().min(0).max(20),
        /** Teaching weeks of the planned visits (week 1 = the week the semester starts). */
        weeks: z.array(z.number().int().min(1).max(30)).min(1),
        time: hhmm,
        remindDeputyDaysBefore: z.number().int().min(0).max(30),
        remindSchoolDaysBefore: z.number().int().min(0).max(30),
        semesters: z
          .array(z.object({ name: z.string().min(1), start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict())
          .default([]),
      })
      .strict()
      .default({ perSemester: 2, weeks: [3, 12], time: '09:00', remindDeputyDaysBefore: 3, remindSchoolDaysBefore: 1, semesters: [] }),
    /** Proactive monitoring (5.3.2.3): probes run every `every`; `failures` in a row open one L1 ticket. */
    health: z
      .object({
        every: durationText,
        failures: z.number().int().min(1).max(100),
        checks: z
          .array(
            z
              .object({
                name: z.string().min(1),
                url: z.string().url().optional(),
                expectStatus: z.number().int().min(100).max(599).optional(),
                tcp: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port').optional(),
                timeout: durationText.optional(),
              })
              .strict()
              .refine((c) => !!c.url !== !!c.tcp, { message: 'give exactly one of url or tcp' }),
          )
          .default([]),
      })
      .strict()
      .default({ every: 60_000, failures: 3, checks: [] }),
    onDuty: z
      .object({
        /** Engineers reminded about unassigned tickets (roster ids); default: every engineer. */
        engineers: z.array(z.string()).optional(),
        /** Optional weekly rota in local time; outside every entry, all engineers are on duty. */
        rota: z
          .array(
            z
              .object({
                days: z.array(z.number().int().min(1).max(7)).min(1),
                from: hhmm,
                to: hhmm,
                engineers: z.array(z.string()).min(1),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .default({ rota: [] }),
    maxMessageChars: z.number().int().min(100).max(100_000),
    /** Per person: at most `messages` in `window`; more get one polite notice and no tickets. */
    flood: z.object({ messages: z.number().int().min(1).max(10_000), window: durationText }).strict().default({ messages: 20, window: 60_000 }),
    /**
     * Per chat: above `tickets` new tickets in `window`, the team gets one summary every
     * `summaryEvery` instead of a notice per ticket (every report is still stored and answered).
     */
    storm: z
      .object({ tickets: z.number().int().min(1).max(100_000), window: durationText, summaryEvery: durationText })
      .strict()
      .default({ tickets: 30, window: 300_000, summaryEvery: 60_000 }),
    /** How long after a knowledge-base answer 转人工 / 没解决 still refers to it. */
    handoffWindow: durationText,
    /**
     * Incidents: a report of the same fault as an open ticket whose last report is at most
     * `joinWindow` old joins it (one ticket, several reporters, one set of timers). Real minutes,
     * not scaled (people report an outage at their own pace).
     */
    incident: z.object({ joinWindow: durationText.default(30 * 60_000) }).strict().default({ joinWindow: 30 * 60_000 }),
    /**
     * Pausing the clocks while the school makes the engineer wait (挂起). `needsConsent`: the
     * reporter must agree (同意) before anything stops; `maxTotal`: paused time credited per ticket
     * at most; `reasons`: the usual reasons, offered in 帮助 and the reporter's question.
     */
    pause: z
      .object({
        needsConsent: z.boolean().default(true),
        maxTotal: durationText.default(72 * 3600_000),
        reasons: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ needsConsent: true, maxTotal: 72 * 3600_000, reasons: [] }),
    /**
     * What the windows count in: `24x7` (calendar time, this contract) or the name of one of
     * `calendars` — working hours on working days (docs/sla.md "Business time").
     */
    calendar: z.string().default('24x7'),
    calendars: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_-]*$/, 'calendar name: lower-case letters, digits, - or _'),
        z
          .object({
            hours: z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'working hours as HH:MM-HH:MM')).min(1),
            holidays: z.enum(['cn', 'none']).default('cn'),
            daysOff: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')).default([]),
            workdays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')).default([]),
          })
          .strict(),
      )
      .default({}),
    service: z
      .object({
        vendor: z.string(),
        customer: z.string(),
        phone: z.string(),
        address: z.string(),
      })
      .strict(),
    roster: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'roster id: lower-case letters, digits, - or _'),
            name: z.string().min(1),
            title: z.string().default(''),
            roles: z.array(z.enum(ROLES)).min(1),
            phone: z.string().optional(),
            ids: platformIds,
          })
          .strict(),
      )
      .min(1),
    chats: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z][a-z0-9_-]*$/),
            name: z.string().min(1),
            role: z.enum(['school', 'team']),
            ids: platformIds,
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const [l, v] of Object.entries(p.levels))
      if (v.calendar && v.calendar !== '24x7' && !p.calendars[v.calendar])
        ctx.addIssue({ code: 'custom', path: ['levels', l, 'calendar'], message: `unknown calendar "${v.calendar}"`, input: v.calendar });
    if (p.calendar !== '24x7' && !p.calendars[p.calendar])
      ctx.addIssue({ code: 'custom', path: ['calendar'], message: `unknown calendar "${p.calendar}" (24x7, or one of calendars: ${Object.keys(p.calendars).join(', ') || 'none defined'})`, input: p.calendar });
    for (const [name, c] of Object.entries(p.calendars)) {
      c.hours.forEach((h, i) => {
        const [from, to] = h.split('-');
        if (from! >= to!) ctx.addIssue({ code: 'custom', path: ['calendars', name, 'hours', i], message: `working hours "${h}" end before they start`, input: h });
      });
      // Overlapping shifts would count their common minutes twice (HH:MM compares as text).
      const sorted = c.hours.map((h, i) => ({ h, i, from: h.slice(0, 5), to: h.slice(6) })).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
      for (let k = 1; k < sorted.length; k++)
        if (sorted[k]!.from < sorted[k - 1]!.to)
          ctx.addIssue({ code: 'custom', path: ['calendars', name, 'hours', sorted[k]!.i], message: `working hours "${sorted[k]!.h}" overlap "${sorted[k - 1]!.h}"`, input: sorted[k]!.h });
    }
    const seen = new Set<string>();
    p.roster.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path: ['roster', i, 'id'], message: `duplicate roster id "${m.id}"`, input: m.id });
      seen.add(m.id);
    });
    if (!p.roster.some((m) => m.roles.includes('lead')))
      ctx.addIssue({ code: 'custom', path: ['roster'], message: 'the roster needs a team lead (role "lead")', input: p.roster.map((m) => m.id) });
    const ids = new Set(p.roster.map((m) => m.id));
    const checkIds = (list: string[] | undefined, path: (string | number)[]) =>
      list?.forEach((id, i) => {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `unknown roster id "${id}"`, input: id });
      });
    checkIds(p.onDuty.engineers, ['onDuty', 'engineers']);
    p.onDuty.rota.forEach((r, i) => checkIds(r.engineers, ['onDuty', 'rota', i, 'engineers']));
    p.digest.chats.forEach((id, i) => {
      if (!p.chats.some((c) => c.id === id)) ctx.addIssue({ code: 'custom', path: ['digest', 'chats', i], message: `unknown chat id "${id}"`, input: id });
    });
    if (!p.chats.some((c) => c.role === 'team'))
      ctx.addIssue({ code: 'custom', path: ['chats'], message: 'a chat with role "team" is required', input: p.chats.map((c) => c.id) });
  })
  .transform((p) => ({ ...p, followUpWindow: p.intake.followUpWindow ?? p.followUpWindow ?? 10 * 60_000 }));

/** The policy as written in a file (durations as text). */
export type PolicyInput = z.input<typeof policySchema>;
/** The validated policy (durations in ms). */
export type Policy = z.output<typeof policySchema>;
export type RosterMember = Policy['roster'][number];
export type ChatConfig = Policy['chats'][number];

export class PolicyError extends Error {}

type Issue = { path: (string | number)[]; message: string; input?: unknown };

/** `ids` keys that name no registered platform, read from the raw input (so they are reported beside any other error). */
function unknownPlatforms(input: unknown, platforms: readonly string[]): Issue[] {
  const out: Issue[] = [];
  const lists = (input ?? {}) as { roster?: unknown; chats?: unknown };
  for (const list of ['roster', 'chats'] as const) {
    const items = lists[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item: unknown, i) => {
      const ids = (item as { ids?: unknown } | null)?.ids;
      if (!ids || typeof ids !== 'object') return;
      for (const k of Object.keys(ids)) if (!platforms.includes(k)) out.push({ path: [list, i, 'ids', k], message: `unknown platform "${k}" (known: ${platforms.join(', ')})`, input: k });
    });
  }
  return out;
}

/** Ids in the registry's order (the order messages to a chat go out on its platforms). */
function inOrder(ids: Record<string, string>, platforms: readonly string[]): Record<string, string> {
  return Object.fromEntries(platforms.filter((k) => ids[k] !== undefined).map((k) => [k, ids[k]!]));
}

/**
 * Validates a policy, failing with every bad field named with its value. `platforms`, when given
 * (the channel registry's names; loadPolicy passes them), is what the `ids` of the roster and chats
 * may name, so a typo such as `feishuu` is an error rather than a silently unused id.
 */
export function parsePolicy(input: unknown, source = 'policy', platforms?: readonly string[]): Policy {
  const r = policySchema.safeParse(input, { reportInput: true });
  const issues: Issue[] = r.success ? [] : r.error.issues.map((i) => ({ path: i.path.map((x) => (typeof x === 'symbol' ? String(x) : x)), message: i.message, ...('input' in i ? { input: i.input } : {}) }));
  if (platforms) issues.push(...unknownPlatforms(input, platforms));
  if (r.success && !issues.length) {
    if (!platforms) return r.data;
    return { ...r.data, roster: r.data.roster.map((m) => ({ ...m, ids: inOrder(m.ids, platforms) })), chats: r.data.chats.map((c) => ({ ...c, ids: inOrder(c.ids, platforms) })) };
  }
  const lines = issues.map((i) => {
    const path = [source, ...i.path.map(String)].join('.');
    const value = i.input !== undefined ? ` (value: ${JSON.stringify(i.input)})` : '';
    return `${path}: ${i.message}${value}`;
  });
  throw new PolicyError(`invalid policy:\n  ${lines.join('\n  ')}`);
}

/** Multiplies every duration of the policy, for demos and acceptance checks (AFTERSALES_TIME_SCALE). */
export function scalePolicy(p: Policy, scale: number): Policy {
  if (scale === 1) return p;
  const s = (ms: number) => Math.max(1, Math.round(ms * scale));
  const levels = Object.fromEntries(
    Object.entries(p.levels).map(([k, v]) => [k, { ...v, response: s(v.response) }]),
  ) as Policy['levels'];
  return {
    ...p,
    levels,
    onsite: { arrive: s(p.onsite.arrive), resolve: s(p.onsite.resolve), backup: s(p.onsite.backup) },
    // followUpWindow is not scaled: it is about how fast people type, not about the contract.
    storm: { ...p.storm, window: s(p.storm.window), summaryEvery: s(p.storm.summaryEvery) },
    health: { ...p.health, every: s(p.health.every) },
    handoffWindow: s(p.handoffWindow),
    reminders: { ...p.reminders, repeatEvery: s(p.reminders.repeatEvery), signoff: s(p.reminders.signoff) },
    pause: { ...p.pause, maxTotal: s(p.pause.maxTotal) },
  };
}
