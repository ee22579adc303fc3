import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { contractFor, MAIN_CONTRACT } from './domain/contract/contract.ts';
import { newTicket } from './domain/intake-rules.ts';
import { later } from './domain/sla/deadline.ts';
import { apply, type By, type LifecycleAction } from './domain/lifecycle.ts';
import type { Level } from './domain/levels.ts';
import type { Policy } from './domain/contract/policy.ts';
import type { Ticket } from './domain/ticket.ts';
import type { InspectionStore } from './store/inspections.ts';
import type { TicketStore } from './store/tickets.ts';
import { zone } from './domain/zone.ts';

const SAMPLES: [Level, string][] = [
  ['L1', '实训平台打不开了，全班都登不上去'], ['L1', '服务器挂了，今天的课全停了'], ['L2', '服务器硬盘报警了'], ['L2', '机柜温度报警'],
  ['L2', 'UPS 一直在报警，电池老化'], ['L3', '凭证录入模块打不开'], ['L3', '302机房一排电脑都登录不了'], ['L3', '投影仪坏了没法上课'],
  ['L3', '教师端看不到学生提交的作业'], ['L4', '一台电脑耳机没声音'], ['L4', '偶尔掉线一下'], ['L4', '个别按钮文字显示不全'],
  ['consult', '审计模块的抽样比例能按教案调整吗'], ['consult', '怎么把两个班合并成一个班'], ['other', '下学期想安排一次教师操作培训'], ['other', '希望增加手机端'],
];
const TEACHERS = [['t-wang', '王老师'], ['t-liu', '刘老师'], ['t-chen', '陈老师'], ['t-zhao', '赵老师'], ['t-sun', '孙老师']] as const;
const ENGINEERS: By[] = [{ kind: 'staff', id: 'lishuang', name: '李爽' }, { kind: 'staff', id: 'zhangtianhui', name: '张天慧' }];

/** A small deterministic PRNG (mulberry32): the same demo every time. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A realistic month of tickets (mixed levels, mostly on time, some breaches, on-site visits, parts,
 * sign-offs and ratings, a few still open), written through the real store so the digest, the report
 * and the pages have something to show. Returns the tickets written.
 */
export async function seedDemo(store: TicketStore, p: Policy, now: number, count = 60, inspections?: InspectionStore): Promise<Ticket[]> {
  // One inspection already done this semester (three weeks ago), as the contract asks for two.
  await inspections?.record({ at: DateTime.fromMillis(now).minus({ weeks: 3 }).toMillis(), by: '张天慧', notes: '服务器、存储、UPS 和机房电脑巡检保养，清理机柜灰尘，一切正常' });
  const rand = rng(20261125);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const contract = contractFor(p, MAIN_CONTRACT);
  const start = DateTime.fromMillis(now, { zone: zone(contract.timezone) }).minus({ days: 30 });
  const out: Ticket[] = [];
  for (let i = 0; i < count; i++) {
    const [level, text] = pick(SAMPLES);
    const [uid, uname] = pick(TEACHERS);
    const created = start.plus({ days: (30 * i) / count, hours: 8 + Math.floor(rand() * 9), minutes: Math.floor(rand() * 60) }).toMillis();
    if (created > now - 3_600_000) break;
    const { n } = await store.claimNumber('sim', `demo-${created}-${i}`);
    let t = newTicket({ n, label: level, confidence: 0.9, reporter: { platform: 'sim', userId: uid, name: uname }, chat: { platform: 'sim', chatId: 'school', kind: 'group' }, text, truncated: false, attachments: [], messageId: `demo-${i}`, now: created }, p);
    const eng = pick(ENGINEERS);
    const teacher: By = { kind: 'user', id: uid, name: uname };
    const response = contract.levels[level].response / 60_000;
    const late = rand() < 0.15; // about one in seven misses its response window
    const step = (a: LifecycleAction, by: By, minutes: number) => {
      const r = apply(t, a, by, later(t.createdAt, minutes * 60_000), p);
      if (r.ok) t = r.ticket;
    };
    const stillOpen = i >= count - 3;
    if (!stillOpen) {
      const ackAt = late ? response + 5 + rand() * 40 : 3 + rand() * (response * 0.6);
      step({ kind: 'ack' }, eng, ackAt);
      const onsite = level !== 'consult' && level !== 'other' && rand() < 0.6;
      if (onsite) {
        step({ kind: 'dispatch' }, eng, ackAt + 5);
        step({ kind: 'arrive' }, eng, ackAt + 5 + (rand() < 0.1 ? 130 : 30 + rand() * 70));
        const parts = rand() < 0.35 ? [pick(['硬盘 1 块', '内存条 1 根', '电源模块 1 个', '投影灯泡 1 个', '交换机模块 1 个'])] : [];
        step({ kind: 'resolve', text: parts.length ? `更换了${parts[0]}，测试正常` : '排查并修复，测试正常', parts, reportToken: randomBytes(16).toString('hex') }, eng, ackAt + 5 + 150 + rand() * (rand() < 0.1 ? 200 : 60));
      } else {
        step({ kind: 'resolve', text: level === 'consult' ? '电话指导老师完成操作' : '远程处理完成', parts: [], reportToken: randomBytes(16).toString('hex') }, eng, ackAt + 20 + rand() * 60);
      }
      if (rand() < 0.8) step({ kind: 'confirm' }, teacher, ackAt + 300);
      if (rand() < 0.7) step({ kind: 'rate', score: rand() < 0.85 ? 5 : pick([3, 4]), comment: pick(['', '响应很及时', '工程师很专业', '']) }, teacher, ackAt + 301);
    }
    await store.save(t);
    out.push(t);
  }
  return out;
}
