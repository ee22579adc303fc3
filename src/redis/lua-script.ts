import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

const shas = new Map<string, string>();

/**
 * `redis.eval`, run by the script's SHA (EVALSHA) and loaded again only when Redis answers
 * NOSCRIPT (first use, a Redis restart, SCRIPT FLUSH). Plain EVAL ships the whole script and makes
 * Redis hash it on every call — several times per message on the intake and send paths.
 */
export async function evalLua(redis: Redis, lua: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown> {
  let sha = shas.get(lua);
  if (!sha) shas.set(lua, (sha = createHash('sha1').update(lua).digest('hex')));
  try {
    return await redis.evalsha(sha, numKeys, ...keysAndArgs);
  } catch (e) {
    if (!(e instanceof Error) || !e.message.includes('NOSCRIPT')) throw e;
    return redis.eval(lua, numKeys, ...keysAndArgs);
  }
}
