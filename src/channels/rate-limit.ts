/**
 * Spaces calls out: at most one per `perKeyMs` for the same key (a chat or a person) and one per
 * `globalMs` overall. Calls wait their turn; none are dropped. Platforms punish floods (Feishu:
 * about 5 messages/s per chat and 50/s per app; WeChat far less).
 */
export class Spacer {
  private readonly nextAt = new Map<string, number>();
  private nextGlobal = 0;

  constructor(private readonly perKeyMs: number, private readonly globalMs: number) {}

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt.get(key) ?? 0, this.nextGlobal);
    this.nextAt.set(key, at + this.perKeyMs);
    this.nextGlobal = at + this.globalMs;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
    if (this.nextAt.size > 10_000) for (const [k, t] of this.nextAt) if (t < now) this.nextAt.delete(k);
    return fn();
  }
}
