import { DateTime } from 'luxon';
import { contractFor, contractsOf, type Contract } from '../contract/contract.ts';
import type { Policy } from '../contract/policy.ts';
import { semesters, type InspectionRecord } from '../inspections.ts';
import { LEVELS, type Level } from '../levels.ts';
import type { Ticket } from '../ticket.ts';
import { kpis, kpisByEngineer, type Kpis, type Rate } from './kpi.ts';
import { zone } from '../zone.ts';

/** One commitment of the contract and how it was kept (src/views/compliance-report.ts words it). */
export type Commitment =
  | { kind: 'response'; level: Level; window: number; rate: Rate }
  | { kind: 'arrival' | 'resolution' | 'backup'; window: number; rate: Rate }
  | { kind: 'spare-parts'; rate: Rate }
  | { kind: 'signoff'; signed: number; finished: number; rate: number | undefined; unsigned: number[]; pending: number[] }
  | { kind: 'satisfaction'; rated: number; finished: number; pending: number; responseRate: number | undefined; average: number | undefined }
  | { kind: 'inspections'; perSemester: number; met: number; missed: number; semesters: { name: string; done: number; running: boolean }[] };

export interface ComplianceData {
  contract: Contract;
  from: string;
  to: string;
  now: number;
  tickets: number;
  /** Reports behind the tickets (several teachers may report one incident). */
  reporters: number;
  /** Tickets whose clocks were paused, with each pause (the KPIs above use the moved deadlines). */
  paused: { n: number; pauses: NonNullable<Ticket['pauses']> }[];
  commitments: Commitment[];
  engineers: { id: string; kpis: Kpis }[];
}

/**
 * The compliance figures for an auditor: each commitment of the contract with what met and what
 * missed it, then per-engineer attainment. Tickets are those of the contract created in the local
 * dates [from, to].
 */
export function complianceData(all: Ticket[], from: string, to: string, now: number, p: Policy, inspections: InspectionRecord[] = [], contractId?: string): ComplianceData {
  const contract = contractId ? contractFor(p, contractId) : contractsOf(p)[0]!;
  const tz = contract.timezone;
  const start = DateTime.fromISO(from, { zone: zone(tz) }).startOf('day').toMillis();
  const end = DateTime.fromISO(to, { zone: zone(tz) }).plus({ days: 1 }).startOf('day').toMillis();
  const tickets = all.filter((t) => t.createdAt >= start && t.createdAt < end && contractFor(p, t).id === contract.id && t.status !== 'merged');
  const o = { signoffWindow: contract.reminders.signoff };
  const k = kpis(tickets, now, o);
  const commitments: Commitment[] = LEVELS.map((level) => ({ kind: 'response', level, window: contract.levels[level].response, rate: kpis(tickets.filter((t) => t.level === level), now, o).response }));
  commitments.push({ kind: 'arrival', window: contract.onsite.arrive, rate: k.arrival });
  commitments.push({ kind: 'resolution', window: contract.onsite.resolve, rate: k.resolution });
  commitments.push({ kind: 'backup', window: contract.onsite.backup, rate: k.backup });
  commitments.push({ kind: 'spare-parts', rate: k.spareParts });
  commitments.push({ kind: 'signoff', signed: k.signoff.signed, finished: k.signoff.finished, rate: k.signoff.rate, unsigned: k.signoff.unsigned, pending: k.signoff.pending });
  commitments.push({ kind: 'satisfaction', rated: k.satisfaction.rated, finished: k.satisfaction.finished, pending: k.satisfaction.pending, responseRate: k.satisfaction.responseRate, average: k.satisfaction.average });
  // Inspections per semester overlapping the period; a semester still running is marked as such.
  const sems: { name: string; done: number; running: boolean }[] = [];
  let met = 0;
  let missed = 0;
  for (const sem of semesters(contract, now)) {
    const sFrom = DateTime.fromISO(sem.start, { zone: zone(tz) }).toMillis();
    const sTo = DateTime.fromISO(sem.end, { zone: zone(tz) }).plus({ days: 1 }).toMillis();
    if (sTo <= start || sFrom >= end || sFrom > now) continue;
    const done = inspections.filter((r) => r.at >= sFrom && r.at < sTo).length;
    const running = now < sTo;
    if (done >= contract.inspections.perSemester) met++;
    else if (!running) missed++;
    sems.push({ name: sem.name, done, running });
  }
  commitments.push({ kind: 'inspections', perSemester: contract.inspections.perSemester, met, missed, semesters: sems });
  const engineers = Object.entries(kpisByEngineer(tickets, now, o)).map(([id, e]) => ({ id, kpis: e }));
  const paused = tickets.filter((t) => t.pauses?.length).map((t) => ({ n: t.n, pauses: t.pauses! }));
  return { contract, from, to, now, tickets: tickets.length, reporters: k.reporters, paused, commitments, engineers };
}
