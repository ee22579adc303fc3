import type { Policy } from '../contract/policy.ts';
import { readFactQuery, type FactContext, type FactQuery } from './facts.ts';
import type { Match } from './retriever.ts';
import { isSensitive } from './sensitive.ts';
import { words } from './words.ts';

/**
 * Words nearly every question shares with some entry (公司, 密码, 电话 …): an entry that shares only
 * these with a question does not address it — "你们公司今年还招聘吗" is not about the company's
 * address, "服务器的管理员密码" not about changing one's own password.
 */
const GENERIC = new Set([
  '公司', '你们', '贵公司', '密码', '电话', '号码', '老师', '系统', '平台', '学校', '问题', '一下', '什么', '多少', '怎么', '怎样', '如何', '可以', '现在', '今年', '我们', '学生',
  '这个', '那个', '时候', '需要', '请问', '知道', '是不是', '有没有', '号', '吗', '呢', '能不能', '想问', '请教', '麻烦', '帮忙', '一个', '哪里', '哪个', '东西', '事情', '情况',
]);

/** Asking the bot to do something to the data (帮我新建/删掉/清空/修改 …): a person does that, not an answer. */
const DO_FOR_ME = /(帮我|替我|你给我|你帮我|请帮我)[^。？?]{0,8}(新建|创建|建立|开通|删除|删掉|清空|清掉|清除|修改|改成|改一下|导入|录入|重置|恢复)/;

export type KbDecision =
  /** Never answered by a bot (passwords, personal data, grades): a fixed refusal, no ticket. */
  | { kind: 'sensitive' }
  /** One exact fact of the contract or the policy (facts.ts). */
  | { kind: 'fact'; query: FactQuery }
  /** A knowledge-base entry that addresses the question. */
  | { kind: 'entry'; match: Match }
  /** Nothing reliable: a person answers. `why`: too weak a match, or one sharing only generic words. */
  | { kind: 'none'; why: 'weak' | 'off-topic' | 'request'; nearest?: Match };

export interface KbLookup {
  search(question: string): Match | undefined;
  /** The question's content words the entry does not contain. */
  uncovered(question: string, id: string): { word: string }[];
  threshold: number;
}

/**
 * How the bot answers a question (docs/knowledge.md): a sensitive request is refused outright; a
 * question for one fact gets the fact; otherwise the best entry, only if it scores above the
 * threshold *and* contains at least one of the question's specific (non-generic) words. Pure.
 */
export function decide(question: string, kb: KbLookup, policy: Policy, context?: FactContext): KbDecision {
  if (isSensitive(question)) return { kind: 'sensitive' };
  const fact = readFactQuery(question, policy, context);
  if (fact) return { kind: 'fact', query: fact };
  const best = kb.search(question);
  if (!best || best.score < kb.threshold) return { kind: 'none', why: 'weak', ...(best ? { nearest: best } : {}) };
  if (DO_FOR_ME.test(question)) return { kind: 'none', why: 'request', nearest: best };
  const specific = [...new Set(words(question))].filter((w) => !GENERIC.has(w));
  const uncovered = kb.uncovered(question, best.entry.id);
  const missing = new Set(uncovered.map((u) => u.word));
  if (specific.length && specific.every((w) => missing.has(w))) return { kind: 'none', why: 'off-topic', nearest: best };
  return { kind: 'entry', match: best };
}
