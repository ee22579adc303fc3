import { INSTALL_HINT, redisServerAvailable } from '../../src/redis/embedded.ts';

/** Integration tests need a real redis-server binary (npm test installs it on Debian as root). */
export default function setup(): void {
  if (!redisServerAvailable()) throw new Error(INSTALL_HINT);
}
