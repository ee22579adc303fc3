import type { Redis } from 'ioredis';
import type { InspectionRecord } from '../domain/inspections.ts';
import { commitInMulti, type Commit } from './commit.ts';

const KEY = 'as:inspections';

/** Inspection visits recorded with 巡检完成 (kept forever: they are part of the contract's evidence). */
export class InspectionStore {
  constructor(private readonly redis: Redis) {}

  /** Records a visit, with the commit of the message that reported it (in one step). */
  async record(r: InspectionRecord, commit?: Commit): Promise<void> {
    const m = this.redis.multi().zadd(KEY, r.at, JSON.stringify(r));
    await (commit ? commitInMulti(m, commit, r.at) : m).exec();
  }

  async all(): Promise<InspectionRecord[]> {
    return (await this.redis.zrange(KEY, '0', '-1')).map((x) => JSON.parse(x) as InspectionRecord);
  }
}
