import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { classifier } from '../classifier-model.ts';
import { evaluate, formatEvaluation } from '../domain/classifier/evaluate.ts';
import { parseTsv } from '../domain/classifier/tsv.ts';
import type { Match } from '../domain/knowledge/retriever.ts';
import { projectPath } from '../paths.ts';

const USAGE = `usage: aftersales <command>

commands:
  start                       run the bot (same as npm start, without the install step)
  classify                    read messages from stdin, one per line; print {"label","confidence"} per line
  classify --eval FILE.tsv    evaluate on a labelled file (header, then label<TAB>text); --json for JSON
  ask "质保期多久"              answer from the knowledge base: one JSON line
  ask --eval [FILE.tsv]       top-1 accuracy and out-of-scope rejection (default knowledge/eval/questions.tsv);
                              --calibrate scans thresholds; --errors lists misses
  digest [--date YYYY-MM-DD]  print the daily digest posted at digest.time on that local date (it reports the
                              day before), as the tickets stood then; default: as of now (reporting yesterday)
  report --from YYYY-MM-DD --to YYYY-MM-DD [--format md|csv|html]
                              the contract compliance report (default md)
  deadlines --level L3 --at 2026-12-04T17:30 [--json]
                              the deadlines a report at that local time would get under the active policy
                              (AFTERSALES_POLICY): response, and for faults arrival/resolution/backup if
                              an engineer set off at once
  seed-demo                   fill the bot's Redis with a realistic month of demo tickets
  bind-code <roster id>       a one-time code (15 min) a staff member sends to the bot on WeChat: 绑定 <code>
  help                        this text
`;

/** Trains the shipped models into the model cache (dist/models/): `npm run build` calls this. */
export async function warmModels(): Promise<void> {
  classifier();
  const { KnowledgeBase } = await import('../knowledge-base.ts');
  new KnowledgeBase().close();
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    // A mistyped option is the user's slip, not a crash: say which, and how the command is used.
    if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

async function run(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start': {
      const { startBot } = await import('../main.ts');
      await startBot();
      return -1; // keeps running
    }
    case 'classify':
      return classify(rest);
    case 'ask':
      return ask(rest);
    case 'bind-code':
      return bindCode(rest);
    case 'digest':
      return digest(rest);
    case 'report':
      return report(rest);
    case 'seed-demo':
      return seedDemoCmd();
    case 'deadlines':
      return deadlinesCmd(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

/** Redis of the running bot: REDIS_URL, or the embedded server's address written at start-up. */
function redisUrl(): string {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const file = `${process.env.AFTERSALES_DATA_DIR ?? 'data'}/redis/url`;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`cannot find the bot's Redis: set REDIS_URL, or start the bot first (it writes ${file})`);
  }
}

async function report(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'md' } } });
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!values.from || !values.to || !date.test(values.from) || !date.test(values.to) || !['md', 'csv', 'html'].includes(values.format ?? '')) {
    process.stderr.write('usage: aftersales report --from YYYY-MM-DD --to YYYY-MM-DD [--format md|csv|html]\n');
    return 2;
  }
  const { loadPolicy } = await import('../config/policy-file.ts');
  const { complianceReport, reportMarkdown, reportCsv, reportHtml } = await import('../views/compliance-report.ts');
  const policy = loadPolicy(process.env.AFTERSALES_POLICY);
  return withBotRedis(async ({ tickets, inspections }) => {
    const now = Date.now();
    const r = complianceReport(await tickets.createdBetween(0, now + 1), values.from!, values.to!, now, policy, await inspections.all());
    process.stdout.write(values.format === 'csv' ? reportCsv(r) : values.format === 'html' ? reportHtml(r) : reportMarkdown(r));
    return 0;
  });
}

/** When a report at a local time would be due, under the active policy's windows and calendar. */
async function deadlinesCmd(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { level: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean' } } });
  const { loadPolicy } = await import('../config/policy-file.ts');
  const { isLevel, isFault } = await import('../domain/levels.ts');
  const { contractFor, MAIN_CONTRACT } = await import('../domain/contract/contract.ts');
  const { deadline } = await import('../domain/sla/deadline.ts');
  const { DateTime } = await import('luxon');
  const { zone } = await import('../domain/zone.ts');
  const policy = loadPolicy(process.env.AFTERSALES_POLICY);
  const c = contractFor(policy, MAIN_CONTRACT);
  const level = values.level?.toUpperCase().replace(/^(CONSULT|OTHER)$/, (x) => x.toLowerCase());
  const at = values.at ? DateTime.fromISO(values.at, { zone: zone(c.timezone) }) : undefined;
  if (!level || !isLevel(level) || !at?.isValid) {
    process.stderr.write('usage: aftersales deadlines --level L1|L2|L3|L4|consult|other --at YYYY-MM-DDTHH:MM (local time) [--json]\n');
    return 2;
  }
  const from = at.toMillis();
  const iso = (ms: number) => DateTime.fromMillis(ms, { zone: zone(c.timezone) }).toISO({ suppressMilliseconds: true })!;
  const out: Record<string, string> = { response: iso(deadline(from, c.levels[level].response, c.calendarNamed(c.levels[level].calendar))) };
  if (isFault(level)) {
    out.arrival = iso(deadline(from, c.onsite.arrive, c.calendar));
    out.resolution = iso(deadline(from, c.onsite.resolve, c.calendar));
    out.backup = iso(deadline(from, c.onsite.backup, c.calendar));
  }
  if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    const { zh } = await import('../views/zh.ts');
    const { formatAbsolute } = await import('../views/time.ts');
    process.stdout.write(`${Object.entries(out).map(([k, v]) => `${zh.clockNames[k] ?? k}：${formatAbsolute(DateTime.fromISO(v).toMillis(), c.timezone)}`).join('\n')}\n`);
  }
  return 0;
}

async function seedDemoCmd(): Promise<number> {
  const { loadPolicy } = await import('../config/policy-file.ts');
  const { seedDemo } = await import('../demo-data.ts');
  return withBotRedis(async ({ tickets, inspections }) => {
    const seeded = await seedDemo(tickets, loadPolicy(process.env.AFTERSALES_POLICY), Date.now(), 60, inspections);
    process.stdout.write(`seeded ${seeded.length} demo tickets (#${seeded[0]?.n}–#${seeded.at(-1)?.n})\n`);
    return 0;
  });
}

async function digest(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { date: { type: 'string' } } });
  const { loadPolicy } = await import('../config/policy-file.ts');
  const { digestMoment } = await import('../domain/reports/digest.ts');
  const policy = loadPolicy(process.env.AFTERSALES_POLICY);
  const now = Date.now();
  // --date D: the digest posted at digest.time on D (reporting D−1), as the tickets stood then.
  const at = values.date === undefined ? now : digestMoment(values.date, policy.digest.time, policy.timezone);
  if (at === undefined) {
    process.stderr.write('usage: aftersales digest [--date YYYY-MM-DD]\n');
    return 2;
  }
  const { digestAt } = await import('../../jobs/digest.ts');
  return withBotRedis(async ({ tickets, inspections }) => {
    process.stdout.write(`${(await digestAt({ tickets, inspections }, at, policy, { now })).text}\n`);
    return 0;
  });
}

/** Runs `fn` against the running bot's Redis, with the stores commands need, and disconnects. */
async function withBotRedis<T>(fn: (r: { redis: import('ioredis').Redis; tickets: import('../store/tickets.ts').TicketStore; inspections: import('../store/inspections.ts').InspectionStore }) => Promise<T>): Promise<T> {
  const { Redis } = await import('ioredis');
  const { TicketStore } = await import('../store/tickets.ts');
  const { InspectionStore } = await import('../store/inspections.ts');
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  try {
    return await fn({ redis, tickets: new TicketStore(redis), inspections: new InspectionStore(redis) });
  } finally {
    redis.disconnect();
  }
}

async function bindCode(args: string[]): Promise<number> {
  const staffId = args[0];
  const { loadPolicy } = await import('../config/policy-file.ts');
  const policy = loadPolicy(process.env.AFTERSALES_POLICY);
  const member = policy.roster.find((m) => m.id === staffId);
  if (!member) {
    process.stderr.write(`usage: aftersales bind-code <roster id>   (one of: ${policy.roster.map((m) => m.id).join(', ')})\n`);
    return 2;
  }
  const { StaffBindings, BIND_CODE_TTL_S } = await import('../store/staff-bindings.ts');
  return withBotRedis(async ({ redis }) => {
    const code = await new StaffBindings(redis).createCode(member.id);
    process.stdout.write(`${code}\n`);
    const { zh } = await import('../views/zh.ts');
    process.stderr.write(`${zh.wechat.bindCodeHint({ name: member.name, minutes: BIND_CODE_TTL_S / 60, code })}\n`);
    return 0;
  });
}

async function ask(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { eval: { type: 'boolean' }, calibrate: { type: 'boolean' }, errors: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const { KnowledgeBase } = await import('../knowledge-base.ts');
  const { DEFAULT_THRESHOLD } = await import('../domain/knowledge/matcher.ts');
  const kb = new KnowledgeBase(process.env.AFTERSALES_KNOWLEDGE_DIR);
  if (values.eval) {
    const { parseQaTsv, evaluateQa } = await import('../domain/knowledge/evaluate.ts');
    const file = positionals[0] ?? projectPath('knowledge', 'eval', 'questions.tsv');
    const cases = parseQaTsv(readFileSync(file, 'utf8'), file);
    const top = (q: string): Match | undefined => kb.search(q, 1)[0];
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    if (values.calibrate) {
      process.stdout.write('threshold  top1    rejection\n');
      for (let t = 0.2; t <= 0.7001; t += 0.02) {
        const e = evaluateQa(cases, top, t);
        process.stdout.write(`${t.toFixed(2).padEnd(10)} ${pct(e.top1).padEnd(7)} ${pct(e.rejection)}\n`);
      }
      return 0;
    }
    // Retrieval alone, as before facts and refusals: the rows that name an entry or `-`.
    const ev = evaluateQa(cases.filter((c) => !c.expected || !/^(fact:|sensitive$)/.test(c.expected)), top, DEFAULT_THRESHOLD);
    // As teachers get them: sensitive refusal, exact facts, entries that address the question.
    const { evaluateDecisions } = await import('../domain/knowledge/evaluate.ts');
    const { loadPolicy } = await import('../config/policy-file.ts');
    const policy = loadPolicy(process.env.AFTERSALES_POLICY);
    const dv = evaluateDecisions(cases, (q) => kb.decide(q, policy));
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...ev, entries: kb.size, answeredRight: dv.answeredRight, refusedRight: dv.refusedRight, wrong: dv.wrong, sensitiveRight: dv.sensitiveRight, decisions: dv })}\n`);
      return 0;
    }
    process.stdout.write(
      [
        `entries: ${kb.size}`,
        `questions: ${dv.inScope} in scope, ${dv.outOfScope} out of scope (${dv.sensitive} sensitive)`,
        `threshold: ${ev.threshold}`,
        `answered right: ${pct(dv.answeredRight)}`,
        `refused right: ${pct(dv.refusedRight)}`,
        `wrong answers: ${pct(dv.wrong)}`,
        `sensitive refused: ${pct(dv.sensitiveRight)}`,
        `retrieval alone — top-1 (answered with the right entry): ${pct(ev.top1)}, top-1 threshold ignored: ${pct(ev.retrievalTop1)}, out-of-scope rejection: ${pct(ev.rejection)}`,
      ].join('\n') + '\n',
    );
    if (values.errors) {
      for (const m of dv.misses) process.stdout.write(`miss\t${m.expected}\t${m.got}\t${m.question}\n`);
      for (const w of dv.wrongAnswers) process.stdout.write(`wrong\t${w.expected}\t${w.got}\t${w.question}\n`);
    }
    return 0;
  }
  const question = positionals.join(' ').trim();
  if (!question) {
    process.stderr.write('usage: aftersales ask "问题"\n');
    return 2;
  }
  const label = classifier().classify(question).label;
  const { loadPolicy } = await import('../config/policy-file.ts');
  const { factAnswer } = await import('../views/fact-answer.ts');
  const { factKey, FACT_ENTRIES } = await import('../domain/knowledge/facts.ts');
  const { zh } = await import('../views/zh.ts');
  const policy = loadPolicy(process.env.AFTERSALES_POLICY);
  const d = kb.decide(question, policy);
  const nearest = d.kind === 'none' && d.nearest ? { nearest: d.nearest.entry.id, score: d.nearest.score } : {};
  const line =
    d.kind === 'entry'
      ? { answered: true, answer: d.match.entry.body, source: d.match.entry.id, title: d.match.entry.title, citation: d.match.entry.source ? zh.kb.cite(d.match.entry.source) : zh.kb.citeNone, score: d.match.score }
      : d.kind === 'fact'
        ? (() => {
            const f = factAnswer(d.query, policy);
            // `source` stays an entry id (the entry the fact stands for); `fact` names the fact.
            return { answered: true, answer: f.text, source: FACT_ENTRIES[d.query.kind][0], fact: factKey(d.query), citation: f.citation, score: 1 };
          })()
        : d.kind === 'sensitive'
          ? { answered: false, refused: 'sensitive', answer: zh.kb.sensitive, label }
          : { answered: false, label, why: d.why, score: 0, ...nearest };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return 0;
}

async function classify(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { eval: { type: 'string' }, json: { type: 'boolean' } } });
  const model = classifier();
  if (values.eval) {
    const examples = parseTsv(readFileSync(values.eval, 'utf8'), values.eval);
    const ev = evaluate(examples, (t) => model.classify(t).label);
    process.stdout.write(values.json ? `${JSON.stringify(ev)}\n` : `${formatEvaluation(ev)}\n`);
    return 0;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) process.stdout.write(`${JSON.stringify(model.classify(line))}\n`);
  return 0;
}
