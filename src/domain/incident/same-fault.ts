import { SYSTEM_WIDE, symptomFamilies, type FaultSignature } from './fault-signature.ts';

export type Sameness = 'same' | 'maybe' | 'different';

const overlap = <T>(a: Set<T>, b: Set<T>): boolean => [...a].some((x) => b.has(x));

/** Jaccard similarity of two bigram sets (0 when both are empty). */
export function wordingSimilarity(a: FaultSignature, b: FaultSignature): number {
  if (!a.bigrams.size && !b.bigrams.size) return 0;
  let both = 0;
  for (const x of a.bigrams) if (b.bigrams.has(x)) both++;
  return both / (a.bigrams.size + b.bigrams.size - both);
}

/** Wording this close is the same report, whatever the entities say. */
const SAME_WORDING = 0.6;

/**
 * Whether `later` reports the same fault as `earlier` (docs/DECISIONS.md): the same thing failing
 * (a system-wide thing anywhere; a device only in the same room), in compatible ways. Different
 * things, different rooms for a device, or clearly different symptoms of one thing are different
 * faults; a report that names nothing (又打不开了, 我们班也是) can only be "maybe" — or "same" when it
 * says "us too" or is worded alike. Pure.
 */
export function sameFault(earlier: FaultSignature, later: FaultSignature): Sameness {
  const similar = wordingSimilarity(earlier, later);
  const a = earlier.objects;
  const b = later.objects;
  const famA = symptomFamilies(earlier.symptoms);
  const famB = symptomFamilies(later.symptoms);
  const symptomsAgree = !famA.size || !famB.size || overlap(famA, famB);
  const bothRooms = earlier.rooms.size > 0 && later.rooms.size > 0;
  const roomsAgree = !bothRooms || overlap(earlier.rooms, later.rooms);

  if (a.size && b.size) {
    if (!overlap(a, b)) {
      // "平台打不开" and "成绩模块打不开" are one outage seen from two places: not a different fault.
      const moduleOfPlatform = (x: Set<string>, y: Set<string>) => x.has('platform') && [...y].every((o) => o.startsWith('module:'));
      return moduleOfPlatform(a, b) || moduleOfPlatform(b, a) ? 'maybe' : 'different';
    }
    const shared = [...a].filter((o) => b.has(o));
    const systemWide = shared.some((o) => SYSTEM_WIDE.has(o) || o.startsWith('module:'));
    if (!systemWide) {
      // A device is the same device only in the same room, and never a differently numbered one.
      if (!roomsAgree) return 'different';
      if (earlier.units.size && later.units.size && !overlap(earlier.units, later.units)) return 'different';
      // One PC's headphones and one PC's mouse: the PC is shared, the failing parts are not.
      const own = (x: Set<string>, y: Set<string>) => [...x].filter((o) => !y.has(o) && o !== 'pc' && o !== 'platform');
      if (own(a, b).length && own(b, a).length) return 'different';
      if (!symptomsAgree) return 'maybe';
      // Two projectors that do not work, nobody said where: perhaps one, perhaps two.
      return bothRooms || later.meToo ? 'same' : 'maybe';
    }
    // A power cut takes its side effects with it (断电 and the UPS beeping); otherwise one system
    // failing two ways (服务器挂了, 机柜温度报警) may be two faults: a person decides (合并).
    const powerCut = shared.includes('power') && (famA.has('access') || famB.has('access') || earlier.symptoms.size === 0 || later.symptoms.size === 0);
    if (!symptomsAgree) return similar >= SAME_WORDING || powerCut ? 'same' : 'maybe';
    return 'same';
  }
  // Different rooms: the same fault only if what failed first is system-wide (the platform down is
  // down in every room); a device in room 5 and "room 3 too" are two faults.
  if (!roomsAgree && !(later.meToo && [...a].some((o) => SYSTEM_WIDE.has(o) || o.startsWith('module:')))) return 'different';
  if (!symptomsAgree) return 'different';
  if (later.meToo || similar >= SAME_WORDING) return 'same';
  return famA.size && famB.size ? 'maybe' : 'different';
}
