import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifier, HELDOUT_PATH, trainingExamples } from '../../src/classifier-model.ts';
import { evaluate } from '../../src/domain/classifier/evaluate.ts';
import { parseTsv } from '../../src/domain/classifier/tsv.ts';

const c = classifier();
const label = (t: string) => c.classify(t).label;

describe('classifier', () => {
  it('follows the labelling guide on clear cases', () => {
    expect(label('@售后助手 实训平台打不开了，全班都登不上去')).toBe('L1');
    expect(label('系统登录页打不开了，所有人都进不去')).toBe('L1');
    expect(label('服务器硬盘报警了')).toBe('L2');
    expect(label('存储阵列一块盘坏了在降级运行')).toBe('L2');
    expect(label('凭证录入模块打不开')).toBe('L3');
    expect(label('偶尔掉线一下')).toBe('L4');
    expect(label('怎么重置学生密码')).toBe('consult');
    expect(label('希望增加手机端')).toBe('other');
    expect(label('谢谢')).toBe('none');
    expect(label('收到')).toBe('none');
  });
  it('labels every example of LABELS.md as the guide does', () => {
    const guide: Record<string, string[]> = {
      L1: ['系统登录页打不开了，所有人都进不去', '整个实训室都连不上平台', '服务器挂了，今天的课全停了', '平台所有页面都报错'],
      L2: ['服务器硬盘报警了', '机柜温度报警', '数据盘只剩下不到5%空间', '服务器频繁自动重启', '存储阵列一块盘坏了在降级运行'],
      L3: ['凭证录入模块打不开', '一排电脑都登录不了', '页面加载要几分钟', '投影仪坏了没法上课', '教师端看不到学生提交的作业'],
      L4: ['偶尔掉线一下', '一台电脑耳机没声音', '有时候图片加载不出来', '个别按钮文字显示不全'],
      consult: ['怎么重置学生密码', '如何导出成绩', '保修到什么时候', '怎么联系你们的工程师'],
      other: ['希望增加手机端', '想加一个新的实训案例', '下学期想安排一次教师操作培训'],
      none: ['谢谢', '收到', '好的', '大家早上好', '明天几点开会'],
    };
    for (const [want, texts] of Object.entries(guide)) for (const t of texts) expect([t, label(t)]).toEqual([t, want]);
  });
  it('takes a question about a fault as the fault, and "急" alone does not make an L1', () => {
    expect(label('系统打不开了怎么办')).toBe('L1');
    expect(['L3', 'L4']).toContain(label('急！！！32号电脑鼠标坏了'));
  });
  it('never crashes and calls word-less input none', () => {
    for (const t of ['', '   ', '😭😭😭', '？？？', '#', 'a'.repeat(100_000)]) {
      const r = c.classify(t);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
    expect(label('😭😭😭')).toBe('none');
  });
  it('is deterministic', () => {
    const again = new (c.constructor as new (e: ReturnType<typeof trainingExamples>) => typeof c)(trainingExamples());
    for (const t of ['服务器挂了', '怎么导出成绩', '投影仪坏了']) expect(again.classify(t)).toEqual(c.classify(t));
  });
  it('meets the targets on the held-out set it was never trained on', () => {
    const heldout = parseTsv(readFileSync(HELDOUT_PATH, 'utf8'));
    const train = new Set(trainingExamples().map((e) => e.text));
    expect(heldout.filter((e) => train.has(e.text))).toEqual([]);
    const ev = evaluate(heldout, label);
    expect(ev.n).toBeGreaterThanOrEqual(150);
    // Issue 19's targets (docs/classifier.md): ≥ 95 % right, every L1 and L2 found.
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(ev.l1l2Recall).toBe(1);
    expect(ev.l1l2AsNone).toBe(0);
  });
});
