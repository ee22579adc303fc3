import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local stand-in for WeCom's AI-bot long-connection server (wss://openws.work.weixin.qq.com),
 * speaking the frames the official SDK speaks (../shared/SDK-NOTES.md): it checks the
 * subscription's bot id and secret, answers heartbeats, acknowledges sends and card updates
 * (recording them), and pushes message and event callbacks. Tests drop connections with `drop()`.
 */
export interface FakeSent {
  cmd: string;
  req_id: string;
  body: Record<string, unknown>;
}

export class FakeWecom {
  readonly sent: FakeSent[] = [];
  subscriptions = 0;
  /** Answer sends with this errcode (0: ok). */
  sendErrcode = 0;
  /** Refuse only template cards (errcode 40001), as WeCom does for a card it finds invalid. */
  refuseCards = false;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private authed = new WeakSet<WebSocket>();

  private constructor(wss: WebSocketServer, readonly botId: string, readonly secret: string) {
    this.wss = wss;
    wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data) => this.onFrame(ws, data.toString()));
    });
  }

  static async start(botId = 'bot-test', secret = 'secret-test', port = 0): Promise<FakeWecom> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    return new FakeWecom(wss, botId, secret);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** Connections that subscribed and are open. */
  get connected(): number {
    return [...this.sockets].filter((s) => this.authed.has(s) && s.readyState === s.OPEN).length;
  }

  private onFrame(ws: WebSocket, raw: string): void {
    let f: { cmd?: string; headers?: { req_id?: string }; body?: Record<string, unknown> };
    try {
      f = JSON.parse(raw);
    } catch {
      return;
    }
    const req_id = f.headers?.req_id ?? '';
    if (f.cmd === 'aibot_subscribe') {
      const ok = f.body?.bot_id === this.botId && f.body?.secret === this.secret;
      if (ok) {
        this.authed.add(ws);
        this.subscriptions++;
      }
      ws.send(JSON.stringify({ headers: { req_id }, errcode: ok ? 0 : 40058, errmsg: ok ? 'ok' : 'invalid bot_id or secret' }));
      return;
    }
    if (!this.authed.has(ws)) return;
    if (f.cmd === 'ping') return ws.send(JSON.stringify({ headers: { req_id }, errcode: 0, errmsg: 'ok' }));
    if (f.cmd === 'aibot_send_msg' || f.cmd === 'aibot_respond_msg' || f.cmd === 'aibot_respond_update_msg') {
      const errcode = this.sendErrcode || (this.refuseCards && f.body?.msgtype === 'template_card' ? 40001 : 0);
      if (!errcode) this.sent.push({ cmd: f.cmd, req_id, body: f.body ?? {} });
      ws.send(JSON.stringify({ headers: { req_id }, errcode, errmsg: errcode ? 'fail' : 'ok' }));
    }
  }

  /** Pushes a raw frame (or any text) to every subscribed connection. */
  push(frame: unknown): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const s of this.sockets) if (this.authed.has(s)) s.send(text);
  }

  /** A text message from a person, in a group (chatid) or privately; returns its msgid. */
  text(from: string, content: string, o: { chatid?: string; msgid?: string } = {}): string {
    const msgid = o.msgid ?? `msg-${randomUUID()}`;
    this.push({
      cmd: 'aibot_msg_callback',
      headers: { req_id: `cb-${randomUUID()}` },
      body: { msgid, aibotid: this.botId, ...(o.chatid ? { chatid: o.chatid, chattype: 'group' } : { chattype: 'single' }), from: { userid: from }, msgtype: 'text', text: { content } },
    });
    return msgid;
  }

  /** A click on a template card's button; returns the callback's req_id (a card update answers it). */
  click(from: string, eventKey: string, taskId: string, chatid?: string): string {
    const req_id = `ev-${randomUUID()}`;
    this.push({
      cmd: 'aibot_event_callback',
      headers: { req_id },
      body: { msgid: `ev-${randomUUID()}`, create_time: Math.floor(Date.now() / 1000), aibotid: this.botId, ...(chatid ? { chatid, chattype: 'group' } : { chattype: 'single' }), from: { userid: from }, msgtype: 'event', event: { eventtype: 'template_card_event', event_key: eventKey, task_id: taskId } },
    });
    return req_id;
  }

  /** What was sent to one chat or person: markdown text, or a card's title and sub-title. */
  textsTo(chatid: string): string[] {
    return this.sent
      .filter((s) => s.cmd === 'aibot_send_msg' && s.body.chatid === chatid)
      .map((s) => {
        const b = s.body as { markdown?: { content: string }; template_card?: { main_title?: { title?: string }; sub_title_text?: string } };
        return b.markdown ? b.markdown.content : `【${b.template_card?.main_title?.title ?? ''}】${b.template_card?.sub_title_text ?? ''}`;
      });
  }

  /** Tells every connection that another one of the same bot took over (WeCom then closes it). */
  replace(): void {
    this.push({ cmd: 'aibot_event_callback', headers: { req_id: `ev-${randomUUID()}` }, body: { msgid: `ev-${randomUUID()}`, aibotid: this.botId, msgtype: 'event', from: { userid: '' }, event: { eventtype: 'disconnected_event' } } });
  }

  /** Closes every connection abruptly (a network drop). */
  drop(): void {
    for (const s of this.sockets) s.terminate();
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}
