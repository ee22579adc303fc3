/** Small HTML pages of the admin side (the printable reports are in their own files). */

/** The WeChat login page: the QR waiting to be scanned, refreshed every 15 s. */
export function wechatLoginPage(svg: string | undefined): string {
  const body = svg
    ? `<h1>微信登录</h1><p>请用机器人的微信账号扫码（每次刷新页面获取最新二维码）。</p>${svg}`
    : '<h1>微信登录</h1><p>当前没有待扫描的二维码：机器人已登录，或由另一实例负责微信。</p>';
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta http-equiv="refresh" content="15"><title>微信登录 · 售后助手</title><body style="font-family:sans-serif;max-width:420px;margin:40px auto">${body}</body></html>`;
}
