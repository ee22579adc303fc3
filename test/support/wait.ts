export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `f` (sync or async) until it returns something truthy; fails after `timeout` ms. */
export async function waitFor<T>(f: () => T | undefined | false | Promise<T | undefined | false>, timeout = 10_000, every = 30): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms`);
    await sleep(every);
  }
}
