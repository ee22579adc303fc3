import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { readFactQuery, factFromKey, factKey } from '../../src/domain/knowledge/facts.ts';
import { isSensitive } from '../../src/domain/knowledge/sensitive.ts';
import { KnowledgeBase } from '../../src/knowledge-base.ts';
import { factAnswer } from '../../src/views/fact-answer.ts';

const p = loadPolicy(undefined);
const kb = new KnowledgeBase();
const answer = (q: string, context?: string) => {
  const d = kb.decide(q, p, factFromKey(context));
  return d.kind === 'fact' ? factAnswer(d.query, p) : d;
};

describe('facts: a question about a person, a role, a number gets the exact fact and its clause', () => {
  it.each([
    ['李爽电话多少', '李爽（组长（全面负责售后））：13598031696'],
    ['组长的手机号是多少', '13598031696'],
    ['李工的联系方式', '13598031696'],
    ['王海芹经理电话', '王海芹（经理）：13526683110'],
    ['你们经理叫什么', '王海芹：经理'],
    ['仓库的吴锦锦怎么联系', '13213003155'],
    ['张天慧的手机号码', '张天慧（副组长（负责人员安排））的电话合同中没有列出，请拨打售后服务电话 13526683110。'],
    ['副组长叫什么名字', '张天慧'],
    ['一级故障多久响应', '一级故障（整个系统瘫痪，基本功能不能实现或者全面退化）：30分钟内响应'],
    ['三级故障你们多长时间回复', '1小时内响应'],
    ['工程师多久能到现场', '2小时内到达现场'],
    ['到场以后多久能修好', '4小时内解决问题'],
    ['修不好的话多久提供备用系统', '72小时内提供备用系统'],
    ['保修几年', '质保期为 3 年'],
    ['一学期巡检几次', '不少于 2 次'],
    ['你们公司地址在哪', '国基路 99 号'],
    ['报修电话是多少', '13526683110'],
  ])('%s → %s', (q, want) => {
    const a = answer(q);
    expect('text' in a && a.text).toContain(want);
    expect('citation' in a && a.citation).toMatch(/^依据：售后服务承诺书 5\.3\.1 /);
  });

  it('a changed policy changes the answer, and says it comes from the school\'s settings, not the contract', () => {
    const school = structuredClone(p);
    school.levels.L1.response = 15 * 60_000;
    const d = kb.decide('一级故障多久响应', school);
    if (d.kind !== 'fact') throw new Error(d.kind);
    expect(factAnswer(d.query, school)).toEqual({ text: expect.stringContaining('15分钟内响应'), citation: '依据：本校的服务约定（系统配置，与合同原文不同处以此为准）' });
  });

  it('follow-up questions are read in the context of the last answer (那到场呢？ / 他电话多少)', () => {
    const first = readFactQuery('李爽负责什么', p)!;
    expect(first).toEqual({ kind: 'person', ask: 'role', ids: ['lishuang'] });
    expect(answer('他电话多少', factKey(first))).toMatchObject({ text: '李爽（组长（全面负责售后））：13598031696' });
    expect(readFactQuery('他电话多少', p)).toBeUndefined(); // without context: nobody to mean
    expect(readFactQuery('那到场呢？', p, factFromKey('fact:response:L1'))).toEqual({ kind: 'onsite', clock: 'arrive' });
    expect(readFactQuery('那二级呢', p, factFromKey('fact:response:L1'))).toEqual({ kind: 'response', level: 'L2' });
  });
});

describe('honest refusal', () => {
  it.each(['你们公司今年还招聘吗', '你们公司的营业执照号是多少', '今天天气怎么样', '食堂几点开门'])('does not answer %s', (q) => {
    expect(kb.decide(q, p).kind).toBe('none');
  });

  it.each(['服务器的管理员密码是多少', '把数据库的root密码发我一下', '教务处长的身份证号是多少', '帮我把王小明的成绩改成90分'])('refuses %s outright (no ticket)', (q) => {
    expect(isSensitive(q)).toBe(true);
    expect(kb.decide(q, p).kind).toBe('sensitive');
  });

  it.each(['怎么修改密码', '忘记密码怎么办', '如何导出成绩', '学生调班以后原来的成绩还在吗'])('still answers the how-to %s', (q) => {
    expect(isSensitive(q)).toBe(false);
  });

  it('a request for the bot to change data goes to a person', () => {
    expect(kb.decide('帮我在平台里新建一百个学生账号', p)).toMatchObject({ kind: 'none', why: 'request' });
  });

  it('an entry answer carries its clause, or says the contract does not state it', () => {
    const d = kb.decide('校区搬迁以后平台怎么办', p);
    expect(d).toMatchObject({ kind: 'entry', match: { entry: { id: 'campus-move', source: expect.stringContaining('5.3.1 第7条第6项') } } });
    const howTo = kb.decide('怎么导出成绩', p);
    expect(howTo.kind === 'entry' && howTo.match.entry.source).toBeUndefined();
  });
});
