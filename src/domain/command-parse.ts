import { DateTime } from 'luxon';
import { zone } from './zone.ts';
import { LEVELS, type Level } from './levels.ts';

export interface ParsedCommand {
  /** The command's name (handlers/commands/registry.ts). */
  name: string;
  /** Ticket number, when given as `#N` or `N`. */
  n?: number;
  /** The rest of the text after the number. */
  args: string;
  /** Whether the number was written with `#` (评价 5 vs 评价 #5). */
  hash: boolean;
  /** The word matched, as in the table (lower-cased NFKC). */
  word?: string;
}

/** A word (Chinese, or a slash alias) and the command it names. */
export type CommandWord = readonly [word: string, name: string];

/** Longest first, so 我的工单 wins over shorter words; lower-cased, as matching is. */
export function wordTable(words: readonly CommandWord[]): CommandWord[] {
  return words.map(([w, n]) => [w.normalize('NFKC').toLowerCase(), n] as const).sort((a, b) => b[0].length - a[0].length);
}

/**
 * Parses a command at the start of the text, given the word table. The word must be followed by
 * the end, a space, `#` or a digit, so everyday sentences ("确认一下明天能来吗") are not commands.
 * Words and numbers are matched on the NFKC form (full-width ＃１２ is #12); the arguments are
 * taken from the text as written, so "重启了服务，恢复正常" keeps its full-width comma.
 */
export function parseCommandWith(text: string, table: readonly CommandWord[]): ParsedCommand | undefined {
  const original = text.trim();
  const { norm, at } = normalizedWithOffsets(original);
  const lower = norm.toLowerCase();
  for (const [word, name] of table) {
    if (!lower.startsWith(word)) continue;
    const rest = norm.slice(word.length);
    if (rest && !/^[\s#\d:：]/.test(rest)) return undefined;
    const m = /^\s*(#?)\s*(\d{1,9})(?!\d)\s*/.exec(rest);
    const n = m ? Number(m[2]) : undefined;
    const argsFrom = word.length + (m ? m[0].length : 0);
    const args = original.slice(at(argsFrom)).trim().replace(/^[:：,，]\s*/, '');
    return { name, ...(n !== undefined ? { n } : {}), args, hash: !!m?.[1], word };
  }
  return undefined;
}

/** The NFKC form of a text, and where each of its positions starts in the original. */
function normalizedWithOffsets(text: string): { norm: string; at: (i: number) => number } {
  let norm = '';
  const starts: number[] = []; // starts[i]: original offset of normalised position i
  let o = 0;
  for (const ch of text) {
    const nf = ch.normalize('NFKC');
    for (let k = 0; k < nf.length; k++) starts.push(o);
    norm += nf;
    o += ch.length;
  }
  return { norm, at: (i) => (i >= starts.length ? text.length : starts[i]!) };
}

const LEVEL_WORDS: [RegExp, Level][] = [
  [/^(l1|一级|1级|一级故障)$/i, 'L1'],
  [/^(l2|二级|2级|二级故障)$/i, 'L2'],
  [/^(l3|三级|3级|三级故障)$/i, 'L3'],
  [/^(l4|四级|4级|四级故障)$/i, 'L4'],
  [/^(consult|咨询|技术咨询)$/i, 'consult'],
  [/^(other|其它|其他|其它问题|其他问题)$/i, 'other'],
];

export function parseLevel(text: string): Level | undefined {
  const t = text.trim();
  if ((LEVELS as readonly string[]).includes(t)) return t as Level;
  return LEVEL_WORDS.find(([r]) => r.test(t))?.[1];
}

/** `二级 影响全部学生` → the level and the reason (the first word is the level). */
export function parseLevelAndReason(args: string): { level: Level | undefined; reason: string } {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(args.trim());
  if (!m) return { level: undefined, reason: '' };
  return { level: parseLevel(m[1]!), reason: m[2]!.trim().replace(/^[:：,，]\s*/, '') };
}

/** `已解决 #N 更换了硬盘 配件：硬盘1块, 风扇` → text and parts. */
export function parseResolution(args: string): { text: string; parts: string[] } {
  const m = /(?:配件|备件|parts)\s*[:：]\s*(.+)$/i.exec(args);
  if (!m) return { text: args.trim(), parts: [] };
  const parts = m[1]!.split(/[,，、;；]/).map((s) => s.trim()).filter(Boolean);
  return { text: args.slice(0, m.index).trim().replace(/[,，;；。]$/, ''), parts };
}

/** `评价 #N 5 很及时` → score 1–5 and comment; also accepts 五星 / 5分. */
export function parseRating(args: string): { score: number; comment: string } | undefined {
  const m = /^([1-5一二三四五])\s*(?:分|星)?\s*(.*)$/.exec(args.trim());
  if (!m) return undefined;
  const digits: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 };
  const score = digits[m[1]!] ?? Number(m[1]);
  return { score, comment: m[2]!.trim() };
}

/** Where the parts of a day begin (明天下午 with no hour). */
const PART_STARTS: [RegExp, number][] = [[/凌晨/, 6], [/中午/, 12], [/下午/, 14], [/傍晚/, 17], [/晚上/, 19]];

/** Why a resume time typed with 挂起 is not taken: no such date or time, or it has passed. */
export type PauseTimeError = 'invalid-time' | 'past-time';

/**
 * A pause's reason and the local time it ends, as staff type them: `等待学校开门 明天8:00`,
 * `等待备件 12月5日 14:30`, `等待第三方 16:00` (today, or tomorrow when that time has passed),
 * `等待第三方 12月5日` (that day, 08:00), `明天下午3点半`. The time is optional; what is before it is
 * the reason (empty when only a time was typed). An hour from 1 to 6 without 上午/凌晨 is the
 * afternoon (school hours: 明天3点 is 15:00). A date or time that does not exist (2月30日, 8:75,
 * 13月1日), or one that has passed (今天8:00 at ten; 12月1日 on 3 December), is an `error`, never
 * part of the reason; a date more than half a year back is next year's (1月6日 typed in December).
 */
export function parsePause(args: string, now: number, tz: string): { reason: string; until?: number; error?: PauseTimeError } {
  const text = args.normalize('NFKC');
  const m = /(?:^|\s)(?:(今天|明天|后天)|(\d{1,2})月(\d{1,2})[日号]?)?\s*(上午|早上|凌晨|中午|下午|傍晚|晚上)?\s*(?:(\d{1,2})(?:[:：](\d{1,2})|点(?:(\d{1,2})分?|(半))?))?\s*$/.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined && m[5] === undefined)) return { reason: text.trim() };
  const [, rel, mon, date, part, h, mm, mm2, half] = m;
  const reason = text.slice(0, m.index).trim();
  const here = DateTime.fromMillis(now, { zone: zone(tz) });
  // A day without a time: the start of the school day, or of the part of the day named (明天下午: 14:00).
  let hour = h !== undefined ? Number(h) : part ? (PART_STARTS.find(([re]) => re.test(part))?.[1] ?? 8) : 8;
  const minute = mm !== undefined ? Number(mm) : mm2 !== undefined ? Number(mm2) : half ? 30 : 0;
  if (hour > 23 || minute > 59) return { reason, error: 'invalid-time' };
  const pm = h !== undefined && (part ? /下午|傍晚|晚上/.test(part) || (/中午/.test(part) && hour < 3) : hour >= 1 && hour <= 6);
  if (pm && hour < 12) hour += 12;
  let day: DateTime;
  if (rel) day = here.startOf('day').plus({ days: /^明/.test(rel) ? 1 : /^后/.test(rel) ? 2 : 0 });
  else if (mon !== undefined) {
    const on = (y: number) => DateTime.fromObject({ year: y, month: Number(mon), day: Number(date) }, { zone: zone(tz) });
    const thisYear = on(here.year);
    const nextYear = on(here.year + 1);
    if (!thisYear.isValid && !nextYear.isValid) return { reason, error: 'invalid-time' };
    const today = here.startOf('day');
    if (thisYear.isValid && thisYear >= today) day = thisYear;
    else if (thisYear.isValid && today.diff(thisYear, 'months').months < 6) return { reason, error: 'past-time' };
    else if (nextYear.isValid) day = nextYear;
    else return { reason, error: 'invalid-time' };
  } else day = here.startOf('day');
  let until = day.set({ hour, minute });
  if (!rel && mon === undefined && until <= here) until = until.plus({ days: 1 }); // a bare time: its next coming
  if (until <= here) return { reason, error: 'past-time' };
  return { reason, until: until.toMillis() };
}
