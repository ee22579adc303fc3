import { IANAZone, type Zone } from 'luxon';

/**
 * An IANA zone whose UTC offsets are remembered per 15-minute slot of time. Luxon asks Intl for
 * the offset on every DateTime it makes in a named zone (formatToParts, ~50 µs); the bot makes
 * several per message (deadlines, on-duty rota, local times in replies). Offsets only change at
 * transitions, and modern tz data puts every transition on a quarter hour, so one lookup per slot
 * gives the same answers ~4× faster (docs/BENCHMARKS.md). Everything else is IANAZone's own.
 */
class RememberingZone extends IANAZone {
  readonly #offsets = new Map<number, number>();

  override offset(ts: number): number {
    const slot = Math.floor(ts / 900_000);
    let o = this.#offsets.get(slot);
    if (o === undefined) {
      o = super.offset(ts);
      if (this.#offsets.size >= 8192) this.#offsets.clear(); // bounded: ~85 days of slots
      this.#offsets.set(slot, o);
    }
    return o;
  }
}

const zones = new Map<string, Zone>();

/** The luxon zone for an IANA name (validated by the policy schema), one shared instance per name. */
export function zone(name: string): Zone {
  let z = zones.get(name);
  if (!z) zones.set(name, (z = new RememberingZone(name)));
  return z;
}
