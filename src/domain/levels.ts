/** The contract's six request levels (CONTRACT.md, 电话支持响应时间表) plus `none` (not a request). */
export const LEVELS = ['L1', 'L2', 'L3', 'L4', 'consult', 'other'] as const;
export type Level = (typeof LEVELS)[number];
export const LABELS = [...LEVELS, 'none'] as const;
export type Label = (typeof LABELS)[number];

export const FAULT_LEVELS = ['L1', 'L2', 'L3', 'L4'] as const;
export type FaultLevel = (typeof FAULT_LEVELS)[number];

export function isLevel(x: string): x is Level {
  return (LEVELS as readonly string[]).includes(x);
}
export function isFault(x: string): x is FaultLevel {
  return (FAULT_LEVELS as readonly string[]).includes(x);
}

/** Lower is more severe; consult/other rank after every fault. */
export function severityRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** True when `a` is a strictly more severe fault than `b`. */
export function moreSevere(a: Level, b: Level): boolean {
  return isFault(a) && severityRank(a) < severityRank(b);
}
