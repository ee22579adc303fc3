import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD } from '../src/domain/knowledge/matcher.ts';
import { KnowledgeBase } from '../src/knowledge-base.ts';

const BIN = fileURLToPath(new URL('../bin/aftersales.js', import.meta.url));
const kb = new KnowledgeBase();

// The contract's facts, asked in words that appear in no entry, training file or evaluation row:
// each must be answered, with the figure or name the contract gives.
const facts: [string, string][] = [
  ['东西过了保修还给不给修，收不收钱', '酌情'],
  ['设备质保一共管几年', '3 年'],
  ['一级故障你们多长时间内响应', '30 分钟'],
  ['工程师到学校现场最迟要多久', '2 小时'],
  ['四个小时还没修好怎么办', '72 小时'],
  ['售后电话打哪个号', '13526683110'],
  ['管仓库备件的是谁', '吴锦锦'],
  ['你们公司在郑州什么地方', '国基路'],
  ['一学期你们主动来检查几回', '2 次'],
  ['修完之后要不要我们签字', '签字'],
  ['半夜和节假日有人值班吗', '7×24'],
  ['软件用几年以后会不会过期不能用', '不限'],
];

describe('knowledge base', () => {
  it.each(facts)('answers "%s" with the contract\'s figure (%s)', (q, expected) => {
    const m = kb.answer(q);
    expect(m, `no answer for ${q}; best: ${JSON.stringify(kb.search(q, 1)[0]?.entry.id)}`).toBeDefined();
    expect(m!.entry.body).toContain(expected);
  });

  it.each(['这周五学校食堂几点开门', '教务处的电话是多少', '帮我订一张去北京的高铁票', '学院年终奖什么时候发'])('does not answer "%s"', (q) => {
    expect(kb.answer(q)).toBeUndefined();
  });

  it('npx aftersales ask prints one JSON line, answered or not', () => {
    const yes = JSON.parse(execFileSync(process.execPath, [BIN, 'ask', '质保期多久'], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(yes).toMatchObject({ answered: true, source: 'warranty-period' });
    expect(yes.answer).toContain('3 年');
    expect(yes.score as number).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    const no = JSON.parse(execFileSync(process.execPath, [BIN, 'ask', '明天会下雨吗'], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(no).toMatchObject({ answered: false });
  });

  it('npx aftersales ask --eval reports the targets as met (answered right ≥ 95 %, refused right ≥ 95 %, wrong ≤ 2 %; retrieval alone top-1 ≥ 90 %)', () => {
    const ev = JSON.parse(execFileSync(process.execPath, [BIN, 'ask', '--eval', '--json'], { encoding: 'utf8' })) as { top1: number; rejection: number; inScope: number; outOfScope: number; answeredRight: number; refusedRight: number; wrong: number; sensitiveRight: number };
    expect(ev.inScope).toBeGreaterThanOrEqual(150);
    expect(ev.outOfScope).toBeGreaterThanOrEqual(30);
    expect(ev.top1).toBeGreaterThanOrEqual(0.9);
    expect(ev.rejection).toBeGreaterThanOrEqual(0.95);
    expect(ev.answeredRight).toBeGreaterThanOrEqual(0.95);
    expect(ev.refusedRight).toBeGreaterThanOrEqual(0.95);
    expect(ev.wrong).toBeLessThanOrEqual(0.02);
    expect(ev.sensitiveRight).toBe(1);
  });
});
