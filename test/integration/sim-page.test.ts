import { existsSync } from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimChannel } from '../../src/channels/simulator/sim-channel.ts';
import { startTestBot, teacher, type TestBot } from '../support/bot.ts';
import { startTestRedis } from '../support/redis.ts';

const CHROMIUM = '/usr/bin/chromium';
// Like browser.test.ts: Chromium comes with `npm test` on Debian; elsewhere the test is skipped.
const have = existsSync(CHROMIUM);
if (!have && process.env.CI) throw new Error('Chromium is required in CI: /usr/bin/chromium missing');

const staff = { id: 'lishuang', name: '李爽' };

/** The simulator page as each person sees it: their own chats, their chips, clickable links. */
describe.skipIf(!have)('simulator page: who sees what, links', () => {
  let browser: Browser;
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let bot: TestBot;
  let report: string;

  beforeAll(async () => {
    browser = await launchBrowser(CHROMIUM);
    redis = await startTestRedis();
    bot = await startTestBot(redis.url);
    // A report in the school group (the team group gets its notice), and a private chat each.
    expect((await bot.post({ chat: 'school', user: teacher, text: '实训平台打不开了，全班都登不上去', mention: true })).status).toBe(201);
    expect((await bot.post({ chat: `p2p:${staff.id}`, user: staff, text: '待办' })).status).toBe(201);
    expect((await bot.post({ chat: `p2p:${teacher.id}`, user: teacher, text: '你好' })).status).toBe(201);
    expect(await bot.botTexts('team')).not.toEqual([]);
    // Bot messages with links, straight through the channel.
    report = `${bot.url}/reports/12?token=abc123`;
    const sim = bot.app.channel('sim') as SimChannel;
    await sim.send({ kind: 'user', userId: teacher.id }, { text: `完整服务报告（可打印存档）：${report}，请查看。` });
    await sim.send({ kind: 'user', userId: teacher.id }, { text: '别点这个：javascript:alert(1) 也别点 javascript://x%0aalert(1)' });
    await sim.send(
      { kind: 'user', userId: teacher.id },
      {
        text: '工单 #12 已处理完成',
        card: { title: '✅ 工单 #12 已处理完成', color: 'green', fields: [{ label: '报告', value: report }], actions: [{ label: '确认签字', command: '确认 #12' }], links: [{ label: '查看完整服务报告', url: report }, { label: '坏链接', url: 'javascript:alert(1)' }] },
      },
    );
  });
  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await redis?.cleanup();
  });

  /** A fresh page (own localStorage) as the given identity option value (`t:<id>` or `r:<id>`). */
  async function pageAs(identity: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(`${bot.url}/`);
    await page.waitForSelector('#chat-list li');
    if ((await page.inputValue('#identity')) !== identity) await page.selectOption('#identity', identity);
    await page.waitForFunction(`document.querySelector('#me-line')?.textContent?.includes(${JSON.stringify(identity.slice(2))})`);
    return page;
  }
  const chatIds = (page: Page) => page.$$eval('#chat-list li', (lis) => lis.map((li) => li.getAttribute('data-chat') ?? ''));
  const chips = (page: Page) => page.$$eval('#quick .chip', (bs) => bs.map((b) => ({ text: b.textContent ?? '', kind: b.getAttribute('data-kind') ?? '' })));

  it('a teacher sees the school group and their own private chat only, and no staff chips', async () => {
    const page = await pageAs(`t:${teacher.id}`);
    expect(await chatIds(page)).toEqual(['school', `p2p:${teacher.id}`]);
    const list = await page.innerText('#chat-list');
    expect(list).toContain('实训中心教师群');
    expect(list).not.toContain('售后服务群');
    expect(list).not.toContain('李爽');
    const c = await chips(page);
    expect(c.map((x) => x.text)).toEqual(expect.arrayContaining(['我的工单', '帮助']));
    expect(c.every((x) => x.kind === 'teacher')).toBe(true);
    expect(c.some((x) => /^(接单|派单|上门|到场|已解决|待办|回复)/.test(x.text))).toBe(false);

    // Everything else only behind the explicit, labelled admin view, read-only.
    expect(await page.isChecked('#admin-view')).toBe(false);
    expect(await page.innerText('label:has(#admin-view)')).toContain('管理员视图（查看全部会话）');
    await page.check('#admin-view');
    await page.waitForSelector(`#chat-list li[data-chat="p2p:${staff.id}"]`);
    expect(await chatIds(page)).toEqual(expect.arrayContaining(['team', `p2p:${staff.id}`]));
    await page.click(`#chat-list li[data-chat="p2p:${staff.id}"]`);
    expect(await page.isDisabled('#input')).toBe(true);
    await page.uncheck('#admin-view');
    await page.waitForFunction("!document.querySelector('#chat-list li[data-chat=\"team\"]')");
    expect(await chatIds(page)).toEqual(['school', `p2p:${teacher.id}`]);
    await page.context().close();
  });

  it('a roster member sees the team group and staff chips, not the teachers\' private chats', async () => {
    const page = await pageAs(`r:${staff.id}`);
    await page.waitForSelector('#chat-list li[data-chat="team"]');
    expect(await chatIds(page)).toEqual(['school', 'team', `p2p:${staff.id}`]);
    expect(await page.innerText('#chat-list')).toContain('售后服务群');
    const c = await chips(page);
    expect(c.some((x) => x.kind === 'staff' && /^接单 #\d+$/.test(x.text))).toBe(true);
    expect(c.map((x) => x.text)).not.toContain('我的工单');
    await page.click('#chat-list li[data-chat="team"]');
    expect(await page.isDisabled('#input')).toBe(false);
    await page.context().close();
  });

  it('http(s) URLs in bot messages and card links are links; javascript: URLs are not', async () => {
    const page = await pageAs(`t:${teacher.id}`);
    await page.click(`#chat-list li[data-chat="p2p:${teacher.id}"]`);
    await page.waitForFunction("document.querySelector('#messages')?.textContent?.includes('别点这个')");
    const inText = await page.$$eval('#messages .msg.bot .text a', (as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent, target: a.getAttribute('target'), rel: a.getAttribute('rel') })));
    expect(inText).toEqual([{ href: report, text: report, target: '_blank', rel: 'noopener' }]);
    expect(await page.innerText('#messages')).toContain(`${report}，请查看。`);
    expect(await page.innerText('#messages')).toContain('javascript:alert(1)');
    const card = await page.$$eval('#messages .card a', (as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent, target: a.getAttribute('target') })));
    expect(card).toEqual([
      { href: report, text: report, target: '_blank' },
      { href: report, text: '查看完整服务报告', target: '_blank' },
    ]);
    const hrefs = await page.$$eval('#messages a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.every((h) => /^https?:\/\//.test(h))).toBe(true);
    expect(await page.$$('#messages [href^="javascript:" i]')).toHaveLength(0);
    await page.context().close();
  });
});
