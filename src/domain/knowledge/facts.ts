import type { Policy, RosterMember, Role } from '../contract/policy.ts';
import type { Level } from '../levels.ts';

/**
 * Questions the contract answers with one exact fact — a person's phone or role, a window, the
 * warranty, the inspections, the address — read from the question's words (pure). They are
 * answered from the policy (roster, levels, onsite windows, inspections, service), not from the
 * nearest passage: "李爽电话多少" gets 李爽's number, not the hotline paragraph.
 */
export type FactQuery =
  | { kind: 'person'; ask: 'phone' | 'who' | 'role'; ids: string[] }
  | { kind: 'response'; level?: Level }
  | { kind: 'onsite'; clock: 'arrive' | 'resolve' | 'backup' }
  | { kind: 'warranty' }
  | { kind: 'inspections' }
  | { kind: 'address' }
  | { kind: 'company' }
  | { kind: 'hotline' };

/** What the previous answer was about, for a follow-up question (那到场呢？ / 他电话多少). */
export type FactContext = FactQuery | undefined;

const PHONE = /(电话|手机|号码|联系方式|怎么联系|联系他|联系她|打给|打谁|拨打)/;
const WHO = /(是谁|叫什么|谁是|哪位|名字|谁负责|找谁|是哪个)/;
const ROLE = /(负责什么|做什么|干什么|是做什么|什么职位|什么岗位|管什么|是干嘛|职务|职位)/;
const PRONOUN = /^(那|那么)?(他|她|这位|这个人|此人|那位)/;

/** Role words as teachers say them, to the roster roles they mean. */
const ROLE_WORDS: [RegExp, Role][] = [
  [/(副组长|人员安排|派工)/, 'deputy'],
  [/(组长|负责人|总负责|技术负责)/, 'lead'],
  [/(经理|项目经理|老板)/, 'manager'],
  [/(仓库|库管|备件|配件管理)/, 'warehouse'],
];

const LEVEL_WORDS: [RegExp, Level][] = [
  [/(一级|1级|l1\b|整个系统瘫痪)/i, 'L1'],
  [/(二级|2级|l2\b|潜在)/i, 'L2'],
  [/(三级|3级|l3\b)/i, 'L3'],
  [/(四级|4级|l4\b)/i, 'L4'],
  [/(技术咨询|咨询类|咨询问题)/, 'consult'],
  [/(其它问题|其他问题|新功能需求|需求类)/, 'other'],
];

const HOW_LONG = /(多久|多长时间|多少时间|多少分钟|多少小时|几分钟(内|能|到|响应)|几(个)?小时(内|能|到|响应)|时限|多快|要等|等多久|(响应|到场|上门|到达|解决|处理|备用)时间)/;
const RESPONSE = /(响应|回复|答复|回应|接单|处理时限|反应)/;
const ARRIVE = /(到场|上门|到现场|赶到|赶过来|过来|到达|来人)/;
const RESOLVE = /((?<!报)修好|解决|排除|搞定|恢复)/;
const BACKUP = /(备用系统|备用机|备机|替代|临时用)/;
const WARRANTY = /(质保|保修|三包)/;
const WARRANTY_ASK = /(多久|几年|多长|到什么时候|到哪|期限|截止|什么时候到期|多少年|过期|期是)/;
const INSPECT = /(巡检|检测保养|上门保养|保养|上门检查|例行检查|来学校检查|检查几次)/;
const INSPECT_ASK = /(几次|多少次|多久.{0,8}一次|频率|多长时间一次|每学期|一学期)/;
const ADDRESS = /(地址|(公司|你们|售后|贵公司)[^。，？?]{0,4}(在哪|在什么地方|位置|办公))/;
const COMPANY = /(哪家公司|什么公司|公司名|公司叫|单位名称|售后单位|服务单位|哪个公司)/;
const HOTLINE = /(售后电话|服务电话|热线|客服电话|报修电话|技术支持电话|你们电话|你们的电话|联系电话|打什么电话|打哪个电话)/;

function membersNamed(p: Policy, text: string): RosterMember[] {
  const full = p.roster.filter((m) => text.includes(m.name));
  if (full.length) return full;
  // 李工 / 张工 / 王经理 / 李组长: surname and a title word.
  return p.roster.filter((m) => new RegExp(`${m.name[0]}(工|经理|组长|副组长|师傅|老师|主管|姐|哥)`).test(text));
}

function membersWithRoleWord(p: Policy, text: string): RosterMember[] {
  for (const [re, role] of ROLE_WORDS) if (re.test(text)) return p.roster.filter((m) => m.roles.includes(role));
  return [];
}

/**
 * The fact a question asks for, if it asks for one. `context`: what the last answer in this
 * conversation was about, for "那到场呢？" (the same topic, another clock) and "他电话多少" (the
 * same person).
 */
export function readFactQuery(raw: string, p: Policy, context?: FactContext): FactQuery | undefined {
  const text = raw.normalize('NFKC').replace(/^@\S+\s*/, '').trim();
  const named = membersNamed(p, text);
  const byRole = named.length ? [] : membersWithRoleWord(p, text);
  const ask = PHONE.test(text) ? 'phone' : ROLE.test(text) ? 'role' : WHO.test(text) ? 'who' : undefined;
  if (named.length && ask) return { kind: 'person', ask, ids: named.map((m) => m.id) };
  if (named.length && /^[^，。？?]{0,6}$/.test(text.replace(named[0]!.name, ''))) return { kind: 'person', ask: 'role', ids: named.map((m) => m.id) };
  if (byRole.length && ask && !HOTLINE.test(text)) return { kind: 'person', ask, ids: byRole.map((m) => m.id) };
  if (ask && PRONOUN.test(text) && context?.kind === 'person') return { kind: 'person', ask, ids: context.ids };

  if (WARRANTY.test(text) && WARRANTY_ASK.test(text) && !/(过了|以后|之后|外|到期后|收费|要钱)/.test(text)) return { kind: 'warranty' };
  if (INSPECT.test(text) && INSPECT_ASK.test(text)) return { kind: 'inspections' };
  if (HOW_LONG.test(text) || /呢[？?]?$/.test(text)) {
    if (BACKUP.test(text)) return { kind: 'onsite', clock: 'backup' };
    // 到场以后多久能修好: the clock asked about is the last one named.
    const arriveAt = text.search(ARRIVE);
    const resolveAt = text.search(RESOLVE);
    if (resolveAt > arriveAt && arriveAt >= 0 && !RESPONSE.test(text)) return { kind: 'onsite', clock: 'resolve' };
    if (ARRIVE.test(text)) return { kind: 'onsite', clock: 'arrive' };
    if (RESOLVE.test(text) && !RESPONSE.test(text)) return { kind: 'onsite', clock: 'resolve' };
    const level = LEVEL_WORDS.find(([re]) => re.test(text))?.[1];
    if (RESPONSE.test(text) || level) return { kind: 'response', ...(level ? { level } : {}) };
  }
  // 那二级呢？ after a window answer: the same question for another level.
  if (/^(那|那么)?.{0,6}呢[？?]?$/.test(text) && (context?.kind === 'response' || context?.kind === 'onsite')) {
    const level = LEVEL_WORDS.find(([re]) => re.test(text))?.[1];
    if (level) return { kind: 'response', level };
  }
  if (HOTLINE.test(text) && !named.length) return { kind: 'hotline' };
  if (ADDRESS.test(text) && /(你们|公司|售后|贵公司|服务)/.test(text) && !/(学校|机房|实训室|教室)/.test(text)) return { kind: 'address' };
  if (COMPANY.test(text)) return { kind: 'company' };
  return undefined;
}

/** A fact query as a short stable string (the answer's record), and back (the next question's context). */
export function factKey(q: FactQuery): string {
  switch (q.kind) {
    case 'person': return `fact:person:${q.ask}:${q.ids.join(',')}`;
    case 'response': return `fact:response${q.level ? `:${q.level}` : ''}`;
    case 'onsite': return `fact:onsite:${q.clock}`;
    default: return `fact:${q.kind}`;
  }
}

export function factFromKey(key: string | undefined): FactContext {
  const m = key?.split(':');
  if (!m || m[0] !== 'fact') return undefined;
  switch (m[1]) {
    case 'person': return m[2] && m[3] ? { kind: 'person', ask: m[2] as 'phone', ids: m[3].split(',') } : undefined;
    case 'response': return { kind: 'response', ...(m[2] ? { level: m[2] as Level } : {}) };
    case 'onsite': return { kind: 'onsite', clock: (m[2] ?? 'arrive') as 'arrive' };
    case 'warranty': case 'inspections': case 'address': case 'company': case 'hotline': return { kind: m[1] };
    default: return undefined;
  }
}

/** The knowledge-base entries a fact stands in for (the evaluation counts either as the right answer). */
export const FACT_ENTRIES: Record<FactQuery['kind'], string[]> = {
  person: ['service-team', 'contact-engineer', 'escalation'],
  response: ['fault-levels-response'],
  onsite: ['onsite-service-times', 'warranty-support-services'],
  warranty: ['warranty-period'],
  inspections: ['inspections-per-semester'],
  address: ['vendor-address'],
  company: ['vendor-address', 'service-team'],
  hotline: ['service-hotline', 'contact-engineer', 'service-team'],
};
