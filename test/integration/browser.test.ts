import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { type Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/policy-file.ts';
import { complianceReport, reportHtml } from '../../src/views/compliance-report.ts';
import { seedDemo } from '../../src/demo-data.ts';
import { startTestBot, type TestBot } from '../support/bot.ts';
import { startTestRedis } from '../support/redis.ts';

const CHROMIUM = '/usr/bin/chromium';
// npm test installs Chromium on Debian as root (scripts/ensure.sh); elsewhere the test is skipped.
const have = existsSync(CHROMIUM);
if (!have && process.env.CI) throw new Error('Chromium is required in CI: /usr/bin/chromium missing');

describe.skipIf(!have)('pages in headless Chromium', () => {
  let browser: Browser;
  let redis: Awaited<ReturnType<typeof startTestRedis>>;
  let bot: TestBot;
  const dir = mkdtempSync(join(tmpdir(), 'as-shots-'));

  beforeAll(async () => {
    browser = await launchBrowser(CHROMIUM);
    redis = await startTestRedis();
    bot = await startTestBot(redis.url);
  });
  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await redis?.cleanup();
  });

  it('the simulator page shows the chats and the bot answers live', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${bot.url}/`);
    await page.waitForSelector('#chat-list');
    // The list is filled after the page loads (加载中… first): wait for it, then read it.
    await page.waitForFunction("document.body.innerText.includes('实训中心教师群')", undefined, { timeout: 10_000 }).catch(() => undefined);
    expect(await page.innerText('body')).toContain('实训中心教师群');
    await page.fill('#input', '实训平台打不开了，全班都登不上去');
    await page.click('#send');
    await page.waitForFunction("document.querySelector('#messages')?.textContent?.includes('一级故障')", undefined, { timeout: 10_000 });
    const text = await page.innerText('#messages');
    expect(text).toMatch(/工单 #\d+（一级故障）/);
    await page.screenshot({ path: join(dir, 'simulator.png') });
    expect(statSync(join(dir, 'simulator.png')).size).toBeGreaterThan(10_000);
  });

  it('the compliance report and a service report page render with their text', async () => {
    const policy = loadPolicy(undefined);
    const tickets = await seedDemo(bot.app.services.store, policy, Date.now(), 30);
    const done = tickets.find((t) => t.resolution && t.reportToken)!;
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await page.goto(`${bot.url}/reports/${done.n}?t=${done.reportToken}`);
    const body = await page.innerText('body');
    expect(body).toContain('售后服务报告');
    expect(body).toContain(`工单 #${done.n}`);
    expect(body).toContain(done.resolution!.text);
    await page.screenshot({ path: join(dir, 'service-report.png'), fullPage: true });
    expect(statSync(join(dir, 'service-report.png')).size).toBeGreaterThan(10_000);

    const today = DateTime.now().setZone(policy.timezone);
    const html = reportHtml(complianceReport(tickets, today.minus({ days: 40 }).toISODate()!, today.toISODate()!, Date.now(), policy));
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    await page.goto(`file://${file}`);
    const reportText = await page.innerText('body');
    expect(reportText).toContain('售后服务合规报告');
    expect(reportText).toContain('电话支持响应 · 一级故障');
    expect(reportText).toContain('工程师达成情况');
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    expect(statSync(join(dir, 'report.png')).size).toBeGreaterThan(10_000);
  });
});
