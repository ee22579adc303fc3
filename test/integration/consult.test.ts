import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/knowledge-base.ts';
import { pino } from 'pino';
import { startTestRedis } from '../support/redis.ts';

const teacher = { id: 't-ask', name: '问老师' };

describe('questions answered from the knowledge base', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let app: Awaited<ReturnType<typeof createApp>>;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'as-kb-'));
  const post = (body: unknown) => fetch(`${url}/sim/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const botTexts = async (chat: string) =>
    ((await (await fetch(`${url}/sim/messages?chat=${encodeURIComponent(chat)}`)).json()) as { messages: { from: { id: string }; text: string }[] }).messages.filter((m) => m.from.id === 'bot').map((m) => m.text);

  beforeAll(async () => {
    cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
    redis = await startTestRedis();
    app = await createApp({ redisUrl: redis.url, policy: loadPolicy(undefined), log: pino({ level: 'silent' }), channels: { sim: {} }, knowledgeDir: dir });
    url = await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app.stop();
    await redis.cleanup();
  });

  it('answers a contract question at once, names the source, and opens no ticket', async () => {
    await post({ chat: 'school', user: teacher, text: '@售后助手 咱们这套设备保修几年？', mention: true });
    const reply = (await botTexts('school')).at(-1)!;
    expect(reply).toContain('3 年');
    expect(reply).toContain('依据：售后服务承诺书 5.3.1'); // the clause it comes from
    expect(await app.services.store.count()).toBe(0);
    expect((await app.services.answers.stats()).total).toBe(1);
  });

  it('opens a consult ticket with a 1 h deadline when it has no confident answer', async () => {
    const u = { id: 't-hard', name: '难老师' };
    await post({ chat: 'school', user: u, text: '@售后助手 平台能不能对接我们学校的统一身份认证系统？', mention: true });
    const reply = (await botTexts('school')).at(-1)!;
    expect(reply).toMatch(/^这个问题我这里没有准确答案，已转给售后同事（工单 #\d+，技术咨询）。/);
    expect(reply).toMatch(/#\d+（技术咨询）/);
    expect(reply).toContain('1小时');
    const t = (await app.services.store.byReporter('sim', u.id))[0]!;
    expect(t.level).toBe('consult');
    expect(t.clocks.response!.dueAt - t.createdAt).toBe(3600_000);
  });

  it('转人工 after an answer opens a ticket with the original question', async () => {
    const u = { id: 't-human', name: '人老师' };
    await post({ chat: 'p2p:t-human', user: u, text: '学生忘记密码了怎么重置？' });
    expect((await botTexts('p2p:t-human')).at(-1)).toContain('来源：知识库');
    await post({ chat: 'p2p:t-human', user: u, text: '转人工' });
    const reply = (await botTexts('p2p:t-human')).at(-1)!;
    expect(reply).toContain('已为您转给工程师');
    const t = (await app.services.store.byReporter('sim', u.id))[0]!;
    expect(t).toMatchObject({ level: 'consult', text: '学生忘记密码了怎么重置？' });
    expect(t.history.some((h) => h.detail?.includes('转人工'))).toBe(true);
    // a second 转人工 does not open another ticket
    await post({ chat: 'p2p:t-human', user: u, text: '转人工' });
    expect(await app.services.store.byReporter('sim', u.id)).toHaveLength(1);
  });

  it('a follow-up question is read in context, a sensitive one refused without a ticket, a near-domain one handed to a person', async () => {
    const u = { id: 't-ctx', name: '续老师' };
    const chat = `p2p:${u.id}`;
    await post({ chat, user: u, text: '李爽负责什么' });
    expect((await botTexts(chat)).at(-1)).toMatch(/^李爽：组长（全面负责售后），电话 13598031696\n依据：售后服务承诺书 5\.3\.1 第5条/);
    await post({ chat, user: u, text: '他电话多少' });
    expect((await botTexts(chat)).at(-1)).toMatch(/^李爽（组长（全面负责售后））：13598031696/);
    await post({ chat, user: u, text: '一级故障多久响应' });
    await post({ chat, user: u, text: '那到场呢？' });
    expect((await botTexts(chat)).at(-1)).toContain('2小时内到达现场');
    const before = await app.services.store.count();
    await post({ chat, user: u, text: '服务器的管理员密码是多少' });
    expect((await botTexts(chat)).at(-1)).toMatch(/^密码、个人隐私和成绩这类信息，机器人不能提供或修改/);
    expect(await app.services.store.count()).toBe(before); // no ticket
    await post({ chat, user: u, text: '你们公司今年还招聘吗' });
    expect((await botTexts(chat)).at(-1)).toMatch(/^这个问题我这里没有准确答案，已转给售后同事（工单 #\d+，技术咨询）/);
  });

  it('never answers a fault report with an FAQ', async () => {
    const u = { id: 't-fault', name: '障老师' };
    await post({ chat: 'school', user: u, text: '@售后助手 平台打不开了，所有学生都登录不了，怎么办？', mention: true });
    const reply = (await botTexts('school')).at(-1)!;
    expect(reply).not.toContain('来源：知识库');
    expect(reply).toContain('一级故障');
  });

  it('reloads the knowledge base on 重载知识库 from staff', async () => {
    writeFileSync(join(dir, 'zz-test-entry.md'), '---\nid: zz-test-entry\ntitle: 机房钥匙在哪里领\nphrasings:\n  - 机房钥匙找谁拿\n  - 实训室钥匙在哪领\n---\n机房钥匙在实训中心办公室领取。\n');
    await post({ chat: 'p2p:lishuang', user: { id: 'lishuang', name: '李爽' }, text: '重载知识库' });
    expect((await botTexts('p2p:lishuang')).at(-1)).toMatch(/知识库已重新加载：\d+ 条/);
    await post({ chat: 'p2p:t-key', user: { id: 't-key', name: '钥老师' }, text: '实训室的钥匙找谁拿呀？' });
    expect((await botTexts('p2p:t-key')).at(-1)).toContain('实训中心办公室领取');
    await post({ chat: 'p2p:t-key', user: { id: 't-key', name: '钥老师' }, text: '重载知识库' });
    expect((await botTexts('p2p:t-key')).at(-1)).toContain('是售后服务团队的命令');
  });
});
