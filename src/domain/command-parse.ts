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

/** Why a resume time typed with 挂起 is not taken: no such date or time, or it has passed. */
export type PauseTimeError = 'invalid-time' | 'past-time';

/**
 * A pause's reason and the local time it ends, as staff type them: `等待学校开门 明天8:00`,
 * `等待备件 12月5日 14:30`, `等待第三方 16:00` (today, or tomorrow when that time has passed),
 * `等待第三方 12月5日` (that day, 08:00). The time is optional; what is before it is the reason
 * (empty when only a time was typed). A date or time that does not exist (2月30日, 8:75, 13月1日),
 * or one that has passed (今天8:00 at ten), is an `error`, never part of the reason.
 */
export function parsePause(args: string, now: number, tz: string): { reason: string; until?: number; error?: PauseTimeError } {
  const text = args.normalize('NFKC');
  const m = /(?:^|\s)(?:(今天|明天|后天)|(\d{1,2})月(\d{1,2})[日号]?)?\s*(?:(\d{1,2})(?:[:：](\d{1,2})|点(?:(\d{1,2})分?|半)?))?\s*$/.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined && m[4] === undefined)) return { reason: text.trim() };
  const reason = text.slice(0, m.index).trim();
  const here = DateTime.fromMillis(now, { zone: zone(tz) });
  const hour = m[4] !== undefined ? Number(m[4]) : 8; // a day without a time: the start of the school day
  const minute = m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? Number(m[6]) : /点半\s*$/.test(text) ? 30 : 0;
  if (hour > 23 || minute > 59) return { reason, error: 'invalid-time' };
  let day: DateTime;
  if (m[1]) day = here.startOf('day').plus({ days: /^明/.test(m[1]) ? 1 : /^后/.test(m[1]) ? 2 : 0 });
  else if (m[2] !== undefined) {
    const month = Number(m[2]);
    const date = Number(m[3]);
    // That date this year, or next year once it has passed (12月5日 typed in January is this year's).
    const valid = (y: number) => DateTime.fromObject({ year: y, month, day: date }, { zone: zone(tz) });
    day = valid(here.year);
    if (!day.isValid) return { reason, error: 'invalid-time' };
    if (day < here.startOf('day')) day = valid(here.year + 1);
    if (!day.isValid) return { reason, error: 'invalid-time' }; // 2月29日 of a year without one
  } else day = here.startOf('day');
  let until = day.set({ hour, minute });
  if (!m[1] && m[2] === undefined && until <= here) until = until.plus({ days: 1 }); // a bare time: its next coming
  if (until <= here) return { reason, error: 'past-time' };
  return { reason, until: until.toMillis() };
}
