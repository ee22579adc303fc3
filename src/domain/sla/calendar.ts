import { DateTime } from 'luxon';

/** Calendars a window can count in. Today only `24x7` (CONTRACT.md: every window is calendar time). */
export const CALENDARS = ['24x7'] as const;
export type CalendarName = (typeof CALENDARS)[number];

/**
 * How a calendar counts time: `add` moves forward by an amount of counted time, `between` measures
 * the counted time from one instant to another (negative when the second comes first). Business
 * calendars (working hours, holidays, 调休) will implement the same two functions.
 */
export interface Calendar {
  readonly name: CalendarName;
  add(from: number, ms: number): number;
  between(from: number, to: number): number;
}

// Calendar time is zone-free; UTC spares luxon a system-zone lookup per step.
const UTC = { zone: 'utc' } as const;

const ALWAYS: Calendar = {
  name: '24x7',
  add: (from, ms) => DateTime.fromMillis(from, UTC).plus({ milliseconds: ms }).toMillis(),
  between: (from, to) => DateTime.fromMillis(to, UTC).diff(DateTime.fromMillis(from, UTC)).as('milliseconds'),
};

export function calendarFor(name: CalendarName): Calendar {
  switch (name) {
    case '24x7':
      return ALWAYS;
  }
}
