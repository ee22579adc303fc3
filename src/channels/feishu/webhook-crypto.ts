import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

/** Feishu's webhook signature: sha256_hex(timestamp + nonce + encryptKey + raw body). */
export function signatureOf(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + rawBody).digest('hex');
}

export function signatureValid(given: string | undefined, timestamp: string, nonce: string, encryptKey: string, rawBody: string): boolean {
  if (!given) return false;
  const want = Buffer.from(signatureOf(timestamp, nonce, encryptKey, rawBody));
  const got = Buffer.from(given);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** AES-256-CBC with key sha256(encryptKey); payload base64(iv16 ‖ ciphertext). Throws when it is not. */
export function decrypt(encrypted: string, encryptKey: string): string {
  const buf = Buffer.from(encrypted, 'base64');
  if (buf.length < 32) throw new Error('encrypted payload too short');
  const key = createHash('sha256').update(encryptKey).digest();
  const d = createDecipheriv('aes-256-cbc', key, buf.subarray(0, 16));
  return Buffer.concat([d.update(buf.subarray(16)), d.final()]).toString('utf8');
}
