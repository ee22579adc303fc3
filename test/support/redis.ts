import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/redis/embedded.ts';

/** A private redis-server on a free loopback port, with its data in a temp dir. */
export async function startTestRedis(dir = mkdtempSync(join(tmpdir(), 'as-redis-'))): Promise<EmbeddedRedis & { cleanup(): Promise<void> }> {
  const r = await startEmbeddedRedis({ dir });
  return {
    ...r,
    async cleanup() {
      await r.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
