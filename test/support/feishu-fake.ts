/**
 * An in-process fake of Feishu for tests that drive the REAL `@larksuiteoapi/node-sdk` (1.74):
 * the Open API subset the bot uses (token, bot info, message create/reply/patch), the
 * long-connection gateway (`POST /callback/ws/endpoint` + a WebSocket speaking the SDK's protobuf
 * frames), and builders for signed+encrypted webhook requests. Everything on 127.0.0.1.
 *
 * Long-connection protocol (from the SDK's WSClient source):
 * - Endpoint: POST {domain}/callback/ws/endpoint with {AppID, AppSecret} → {code:0, data:{URL,
 *   ClientConfig:{PingInterval, ReconnectCount, ReconnectInterval, ReconnectNonce}}} (seconds).
 *   The SDK reads `device_id` / `service_id` from the URL's query with qs (not the first param).
 * - Frames are protobuf `pbbp2.Frame` (proto2, below). method 0 = control (ping/pong), 1 = data.
 *   headers carry `type` (ping | pong | event | card), and for data: message_id, sum, seq, trace_id.
 * - The client pings right after connecting and every PingInterval; the server answers a `pong`
 *   control frame whose payload is the ClientConfig JSON (the SDK re-applies it).
 * - Events: data frame, type `event`, payload = UTF-8 JSON (may be split into `sum` fragments).
 *   The client acks by echoing the frame with an extra `biz_rt` header and payload
 *   {"code":200|500, "data"?: base64(JSON(handler result))}. Frames of type `card` are DROPPED by
 *   the SDK (no handler, no ack): card callbacks travel as `event` frames whose JSON has
 *   header.event_type = "card.action.trigger", and the handler's {toast, card} comes back in `data`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type * as Protobuf from 'protobufjs';

// `ws` and `protobufjs` are dependencies of the SDK (hoisted), not of this project, and `ws` has no
// typings here: load both through require with the narrow shapes used below.
const require = createRequire(import.meta.url);
interface WsSocket {
  readyState: number;
  send(data: Uint8Array): void;
  terminate(): void;
  on(ev: 'message', cb: (data: Buffer) => void): void;
  on(ev: 'close', cb: () => void): void;
}
interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: WsSocket) => void): void;
  close(): void;
}
const { WebSocketServer } = require('ws') as { WebSocketServer: new (o: { noServer: true }) => WsServer };
const protobuf = require('protobufjs') as typeof Protobuf;

// The SDK's Frame (pbbp2, proto2). SeqID/LogID are uint64 in the SDK; they are declared uint32 here
// (same varint wire format, our values are small) because importing the SDK sets protobufjs'
// global `util.Long = undefined`, which makes reflection of 64-bit fields throw.
const PROTO = `syntax = "proto2"; package pbbp2;
message Header { required string key = 1; required string value = 2; }
message Frame {
  required uint32 SeqID = 1; required uint32 LogID = 2; required int32 service = 3; required int32 method = 4;
  repeated Header headers = 5; optional string payloadEncoding = 6; optional string payloadType = 7;
  optional bytes payload = 8; optional string LogIDNew = 9;
}`;
const FrameCodec = protobuf.parse(PROTO, { keepCase: true }).root.lookupType('pbbp2.Frame');
interface Frame { SeqID: number; LogID: number; service: number; method: number; headers: { key: string; value: string }[]; payload?: Uint8Array }
const encodeFrame = (f: Frame): Uint8Array => FrameCodec.encode(FrameCodec.fromObject(f)).finish();
const decodeFrame = (b: Uint8Array): Frame => FrameCodec.toObject(FrameCodec.decode(b), { defaults: true }) as Frame;
const headerOf = (f: Frame, key: string): string | undefined => f.headers.find((h) => h.key === key)?.value;
const CONTROL = 0;
const DATA = 1;

// Fixed credentials: the event builders below are free functions and embed the same app_id/token.
const APP_ID = 'cli_a1b2c3d4e5f60718';
const APP_SECRET = 'fake-app-secret-0123456789abcdef';
const ENCRYPT_KEY = 'fake-encrypt-key-0123456789';
const VERIFICATION_TOKEN = 'fake-verification-token';
const TENANT_KEY = '2ca1d211f64f6438';
const BOT_OPEN_ID = 'ou_0f0e0d0c0b0a09080706050403020100';
const TENANT_TOKEN = 't-fake';
const SERVICE_ID = 33554678;

/** What the endpoint (and every pong) tells the client, in seconds. Real Feishu: -1/120/30/120. */
export interface WsClientConfig { PingInterval: number; ReconnectCount: number; ReconnectInterval: number; ReconnectNonce: number }
export interface SentMessage { kind: 'create' | 'reply' | 'patch'; receiveIdType?: string; receiveId?: string; messageId?: string; msgType?: string; content: string; uuid?: string; /** The id the fake gave the new message. */ sentId?: string }
/** The client's answer to one pushed event frame. `data` is the handler's result (decoded), if any. */
export interface WsAck { messageId: string; code: number; data?: unknown; headers: Record<string, string> }
export interface PushOptions { frameType?: 'event' | 'card'; fragments?: number; timeoutMs?: number }

export interface FakeFeishu {
  url: string;
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
  botOpenId: string;
  /** Accepted create/reply/patch calls, in order (calls failed by failNext go to `rejected`). */
  sent: SentMessage[];
  rejected: SentMessage[];
  /** Every HTTP request seen (method + path with query), for debugging/asserting token reuse. */
  requests: { method: string; path: string }[];
  wsAcks: WsAck[];
  wsPings: number;
  /** The contact API (a user's name by open_id) answers after this long (a slow lookup to crash the bot in). */
  contactDelayMs: number;
  /** Names the contact API knows; others answer code 41050 (no permission), as Feishu does. */
  names: Record<string, string>;
  failNext(n: number, how?: 'http500' | 'code'): void;
  signedEventRequest(event: object, opts?: { timestamp?: number; forgeSignature?: boolean }): { headers: Record<string, string>; body: string };
  /** Push to every connected WSClient; resolves once each acked (or after timeoutMs, default 2000); the
   *  acks land in `wsAcks`. Throws if no client is connected. `frameType: 'card'` shows the SDK drops those. */
  pushEvent(event: object, opts?: PushOptions): Promise<void>;
  wsConnections(): number;
  close(): Promise<void>;
}

const hex = (n: number): string => randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
const digest = (s: string, n: number): string => createHash('sha256').update(s).digest('hex').slice(0, n);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
const isJsonString = (s: unknown): s is string => {
  if (typeof s !== 'string') return false;
  try { JSON.parse(s); return true; } catch { return false; }
};

export async function startFakeFeishu(opts: { wsClientConfig?: Partial<WsClientConfig> } = {}): Promise<FakeFeishu> {
  // Test-friendly defaults: give up after 3 quick retries instead of retrying forever every 2 min.
  const clientConfig: WsClientConfig = { PingInterval: 120, ReconnectCount: 3, ReconnectInterval: 1, ReconnectNonce: 0, ...opts.wsClientConfig };
  const failures: ('http500' | 'code')[] = [];
  const sockets = new Set<WsSocket>();
  const pending = new Map<string, () => void>(); // frame message_id → resolve of pushEvent
  let msgCounter = 0;
  const wss = new WebSocketServer({ noServer: true });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const u = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push({ method, path: u.pathname + u.search });
    const raw = await readBody(req);
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    const p = u.pathname;

    if (method === 'POST' && p === '/open-apis/auth/v3/tenant_access_token/internal') {
      if (body.app_id !== APP_ID || body.app_secret !== APP_SECRET) return reply(res, 200, { code: 10014, msg: 'app secret invalid' });
      return reply(res, 200, { code: 0, msg: 'ok', tenant_access_token: TENANT_TOKEN, expire: 7200 });
    }
    if (method === 'POST' && p === '/callback/ws/endpoint') {
      // `data` must be present even on failure: the SDK destructures it (a TypeError there = retry forever).
      if (body.AppID !== APP_ID || body.AppSecret !== APP_SECRET) return reply(res, 200, { code: 514, msg: 'auth failed', data: {} });
      const wsUrl = `${fake.url.replace(/^http/, 'ws')}/ws/v2?fpid=493&aid=552564&device_id=fake-device-${hex(8)}&access_key=${hex(16)}&service_id=${SERVICE_ID}&ticket=${hex(16)}`;
      return reply(res, 200, { code: 0, msg: 'ok', data: { URL: wsUrl, ClientConfig: clientConfig } });
    }
    if (req.headers.authorization !== `Bearer ${TENANT_TOKEN}`) {
      return reply(res, 400, { code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' });
    }
    const contact = /^\/open-apis\/contact\/v3\/users\/([^/]+)$/.exec(p);
    if (method === 'GET' && contact) {
      if (fake.contactDelayMs) await new Promise((r) => setTimeout(r, fake.contactDelayMs));
      const name = fake.names[decodeURIComponent(contact[1]!)];
      return reply(res, 200, name ? { code: 0, msg: 'success', data: { user: { name } } } : { code: 41050, msg: 'no user authority error' });
    }
    if (method === 'GET' && p === '/open-apis/bot/v3/info') {
      return reply(res, 200, { code: 0, msg: 'ok', bot: { activate_status: 2, app_name: '售后助手', avatar_url: '', ip_white_list: [], open_id: BOT_OPEN_ID } });
    }
    const m = /^\/open-apis\/im\/v1\/messages(?:\/([^/]+)(\/reply)?)?$/.exec(p);
    const kind = !m ? undefined : method === 'POST' && !m[1] ? 'create' : method === 'POST' && m[2] ? 'reply' : method === 'PATCH' && m[1] && !m[2] ? 'patch' : undefined;
    if (!m || !kind) return reply(res, 404, { code: 404, msg: `fake feishu: no route for ${method} ${p}` });

    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const rec: SentMessage = {
      kind,
      ...(kind === 'create' ? { receiveIdType: u.searchParams.get('receive_id_type') ?? undefined, receiveId: str(body.receive_id) } : { messageId: m[1] }),
      msgType: str(body.msg_type),
      content: typeof body.content === 'string' ? body.content : JSON.stringify(body.content),
      uuid: str(body.uuid),
    };
    for (const k of Object.keys(rec) as (keyof SentMessage)[]) if (rec[k] === undefined) delete rec[k];
    const how = failures.shift();
    if (how) {
      fake.rejected.push(rec);
      return how === 'http500'
        ? reply(res, 500, { code: 1, msg: 'fake feishu: injected HTTP 500' })
        : reply(res, 200, { code: 230020, msg: 'fake feishu: injected failure (rate limit)', data: {} });
    }
    // Feishu wants `content` as a JSON *string*; an object or bad JSON is a 400 with code 230001.
    if (!isJsonString(body.content) || (kind !== 'patch' && !rec.msgType) || (kind === 'create' && (!rec.receiveIdType || !rec.receiveId))) {
      fake.rejected.push(rec);
      return reply(res, 400, { code: 230001, msg: 'fake feishu: invalid request (content must be a JSON string; msg_type/receive_id required)' });
    }
    if (kind === 'patch') {
      fake.sent.push(rec);
      return reply(res, 200, { code: 0, msg: 'success', data: {} }); // real patch answers an empty data
    }
    const messageId = `om_${++msgCounter}`;
    fake.sent.push({ ...rec, sentId: messageId });
    return reply(res, 200, { code: 0, msg: 'success', data: { message_id: messageId, msg_type: rec.msgType, create_time: String(Date.now()), body: { content: rec.content } } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => reply(res, 500, { code: 1, msg: `fake feishu crashed: ${String(e)}` }));
  });

  const onFrame = (ws: WsSocket, buf: Buffer): void => {
    const f = decodeFrame(buf);
    const type = headerOf(f, 'type');
    if (f.method === CONTROL && type === 'ping') {
      fake.wsPings++;
      const pong: Frame = { SeqID: 0, LogID: 0, service: f.service, method: CONTROL, headers: [{ key: 'type', value: 'pong' }], payload: Buffer.from(JSON.stringify(clientConfig)) };
      ws.send(encodeFrame(pong));
    } else if (f.method === DATA) {
      const headers = Object.fromEntries(f.headers.map((h) => [h.key, h.value]));
      const resp = JSON.parse(Buffer.from(f.payload ?? []).toString('utf8')) as { code: number; data?: string };
      const ack: WsAck = { messageId: headers.message_id ?? '', code: resp.code, headers };
      if (resp.data) ack.data = JSON.parse(Buffer.from(resp.data, 'base64').toString('utf8')) as unknown;
      fake.wsAcks.push(ack);
      pending.get(ack.messageId)?.();
    }
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!(req.url ?? '').startsWith('/ws/v2?')) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('message', (data) => {
        try { onFrame(ws, data); } catch (e) { console.error('[feishu-fake] bad frame from client', e); }
      });
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeFeishu = {
    url: `http://127.0.0.1:${port}`,
    appId: APP_ID,
    appSecret: APP_SECRET,
    encryptKey: ENCRYPT_KEY,
    verificationToken: VERIFICATION_TOKEN,
    botOpenId: BOT_OPEN_ID,
    sent: [],
    rejected: [],
    requests: [],
    wsAcks: [],
    wsPings: 0,
    contactDelayMs: 0,
    names: {},
    failNext(n, how = 'http500') {
      for (let i = 0; i < n; i++) failures.push(how);
    },
    signedEventRequest(event, o = {}) {
      // Feishu: AES-256-CBC, key sha256(encryptKey), base64(iv ‖ ciphertext); signature over the exact body.
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(ENCRYPT_KEY).digest(), iv);
      const encrypt = Buffer.concat([iv, cipher.update(JSON.stringify(event), 'utf8'), cipher.final()]).toString('base64');
      const body = JSON.stringify({ encrypt });
      const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
      const nonce = hex(20);
      let signature = createHash('sha256').update(timestamp + nonce + ENCRYPT_KEY + body).digest('hex');
      if (o.forgeSignature) signature = (signature[0] === '0' ? '1' : '0') + signature.slice(1);
      return {
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature },
        body,
      };
    },
    async pushEvent(event, o = {}) {
      const payload = Buffer.from(JSON.stringify(event), 'utf8');
      const sum = Math.max(1, Math.min(o.fragments ?? 1, payload.length));
      const size = Math.ceil(payload.length / sum);
      const open = [...sockets].filter((ws) => ws.readyState === 1);
      if (open.length === 0) throw new Error('feishu-fake pushEvent: no WSClient is connected (wait for wsConnections() > 0)');
      await Promise.all(open.map((ws) => new Promise<void>((resolve) => {
        const messageId = randomUUID();
        const done = (): void => { clearTimeout(timer); pending.delete(messageId); resolve(); };
        const timer = setTimeout(done, o.timeoutMs ?? 2000);
        pending.set(messageId, done);
        const traceId = hex(32);
        for (let seq = 0; seq < sum; seq++) {
          ws.send(encodeFrame({
            SeqID: 0, LogID: 0, service: SERVICE_ID, method: DATA,
            headers: [
              { key: 'type', value: o.frameType ?? 'event' }, { key: 'message_id', value: messageId },
              { key: 'sum', value: String(sum) }, { key: 'seq', value: String(seq) }, { key: 'trace_id', value: traceId },
            ],
            payload: payload.subarray(seq * size, (seq + 1) * size),
          }));
        }
      })));
    },
    wsConnections: () => [...sockets].filter((ws) => ws.readyState === 1).length,
    async close() {
      for (const done of [...pending.values()]) done();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** Schema 2.0 envelope, as Feishu sends events (webhook and long connection alike). */
function envelope(eventType: string, eventId: string | undefined, event: object): object {
  return {
    schema: '2.0',
    header: { event_id: eventId ?? hex(32), event_type: eventType, create_time: String(Date.now()), token: VERIFICATION_TOKEN, app_id: APP_ID, tenant_key: TENANT_KEY },
    event,
  };
}
const userIds = (openId: string): { open_id: string; union_id: string; user_id: string } => ({ open_id: openId, union_id: `on_${digest(openId, 32)}`, user_id: digest(openId, 8) });

export function messageEvent(o: {
  eventId?: string; messageId?: string; chatId: string; chatType: 'group' | 'p2p'; senderOpenId: string; text: string;
  /** The message this one replies to. */
  parentId?: string;
  mentionBot?: { openId: string; name: string } | false; messageType?: 'text' | 'post' | 'image' | 'file'; content?: object;
}): object {
  const type = o.messageType ?? 'text';
  const bot = o.mentionBot || undefined;
  // A mention appears in the text as the placeholder `@_user_1`, resolved through `mentions`.
  const content = o.content ?? (
    type === 'text' ? { text: bot ? `@_user_1 ${o.text}` : o.text }
    : type === 'post' ? { title: '', content: [[...(bot ? [{ tag: 'at', user_id: '@_user_1', user_name: bot.name, style: [] }] : []), { tag: 'text', text: o.text, style: [] }]] }
    : type === 'image' ? { image_key: `img_v3_${hex(24)}` }
    : { file_key: `file_v3_${hex(24)}`, file_name: o.text || 'file.pdf' });
  const now = String(Date.now());
  return envelope('im.message.receive_v1', o.eventId, {
    sender: { sender_id: userIds(o.senderOpenId), sender_type: 'user', tenant_key: TENANT_KEY },
    message: {
      message_id: o.messageId ?? `om_${hex(32)}`, create_time: now, update_time: now,
      chat_id: o.chatId, chat_type: o.chatType, message_type: type, content: JSON.stringify(content),
      ...(o.parentId ? { parent_id: o.parentId, root_id: o.parentId } : {}),
      ...(bot ? { mentions: [{ key: '@_user_1', id: { ...userIds(bot.openId), user_id: '' }, name: bot.name, tenant_key: TENANT_KEY }] } : {}),
      user_agent: 'Mozilla/5.0 Lark/7.30.0',
    },
  });
}

export function cardActionEvent(o: { eventId?: string; operatorOpenId: string; value: Record<string, unknown>; openMessageId: string; openChatId: string; formValue?: Record<string, string> }): object {
  return envelope('card.action.trigger', o.eventId, {
    operator: { tenant_key: TENANT_KEY, ...userIds(o.operatorOpenId) },
    token: `c-${hex(40)}`,
    action: { value: o.value, tag: 'button', ...(o.formValue ? { form_value: o.formValue, name: 'reply_submit' } : {}) },
    host: 'im_message',
    context: { open_message_id: o.openMessageId, open_chat_id: o.openChatId },
  });
}
