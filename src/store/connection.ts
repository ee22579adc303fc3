import { Redis } from 'ioredis';

/**
 * One ioredis connection for the app. `maxRetriesPerRequest: null` is what BullMQ workers need on a
 * shared connection; commands wait through a Redis restart instead of failing.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
