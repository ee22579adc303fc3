import type { Redis } from 'ioredis';
import type { InspectionRecord } from '../domain/inspections.ts';

const KEY = 'as:inspections';

/** Inspection visits recorded with 巡检完成 (kept forever: they are part of the contract's evidence). */
export class InspectionStore {
  constructor(private readonly redis: Redis) {}

  async record(r: InspectionRecord): Promise<void> {
    await this.redis.zadd(KEY, r.at, JSON.stringify(r));
  }

  async all(): Promise<InspectionRecord[]> {
    return (await this.redis.zrange(KEY, '0', '-1')).map((x) => JSON.parse(x) as InspectionRecord);
  }
}
