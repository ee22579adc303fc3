import { Redis } from 'ioredis';

/**
 * One ioredis connection for the app. `maxRetriesPerRequest: null` is what BullMQ workers need on a
 * shared connection; commands wait through a Redis restart instead of failing. Auto-pipelining
 * sends the commands that messages in flight issue in the same tick as one write (one syscall
 * instead of dozens: the largest single cost of intake under load). Connections duplicated from this
 * one for BullMQ and subscriptions turn it off again.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, enableAutoPipelining: true });
}
