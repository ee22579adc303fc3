import { chromium, type Browser } from 'playwright-core';

/** Headless Chromium for the page tests, with the flags that keep it quiet and offline. */
export function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
