import type { Redis } from 'ioredis';
import QRCode from 'qrcode';

/** Where the instance running the puppet keeps the QR waiting to be scanned (any role can show it). */
export const QR_KEY = 'as:wechat:qr';

export async function saveLoginQr(redis: Redis, qrcode: string, status: number, at: number): Promise<void> {
  await redis.set(QR_KEY, JSON.stringify({ qrcode, status, at }), 'EX', 600);
}

/** The current login QR for the admin page, if one is waiting to be scanned. */
export async function wechatLoginQr(redis: Redis): Promise<{ svg: string; status: number; at: number } | undefined> {
  const raw = await redis.get(QR_KEY);
  if (!raw) return undefined;
  const q = JSON.parse(raw) as { qrcode: string; status: number; at: number };
  return { svg: await QRCode.toString(q.qrcode, { type: 'svg' }), status: q.status, at: q.at };
}
