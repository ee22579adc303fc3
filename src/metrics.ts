import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { openClocks } from './domain/ticket.ts';
import type { TicketStore } from './store/tickets.ts';

/** The gauges' numbers: open tickets by "<level>/<status>" and running clocks. */
export function openTicketStats(store: TicketStore): () => Promise<{ open: Record<string, number>; clocks: number }> {
  return async () => {
    const open = await store.openTickets();
    const byLevel: Record<string, number> = {};
    for (const t of open) byLevel[`${t.level}/${t.status}`] = (byLevel[`${t.level}/${t.status}`] ?? 0) + 1;
    return { open: byLevel, clocks: open.reduce((n, t) => n + openClocks(t).length, 0) };
  };
}

/** Prometheus metrics of one app (its own registry, so several apps can share a process in tests). */
export class Metrics {
  readonly registry = new Registry();
  readonly ticketsCreated = new Counter({ name: 'aftersales_tickets_created_total', help: 'Tickets created, by level', labelNames: ['level'], registers: [this.registry] });
  readonly classified = new Counter({ name: 'aftersales_classifier_labels_total', help: 'Messages classified, by label', labelNames: ['label'], registers: [this.registry] });
  readonly handling = new Histogram({ name: 'aftersales_event_handling_seconds', help: 'Time to handle one incoming message, its replies sent', labelNames: ['platform'], buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry] });
  readonly timersFired = new Counter({ name: 'aftersales_timers_fired_total', help: 'SLA timer steps acted on, by step', labelNames: ['step'], registers: [this.registry] });
  readonly breaches = new Counter({ name: 'aftersales_breaches_total', help: 'Clocks breached, by clock', labelNames: ['clock'], registers: [this.registry] });
  readonly timerLateness = new Histogram({ name: 'aftersales_reminder_lateness_seconds', help: 'Fired minus due time of SLA timers', buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300], registers: [this.registry] });
  readonly outbox = new Counter({ name: 'aftersales_outbox_sends_total', help: 'Outbox send attempts (every outgoing message), by platform and result (sent, retry, failed)', labelNames: ['platform', 'result'], registers: [this.registry] });
  readonly openTickets: Gauge;
  readonly openClocks: Gauge;

  /** `open` counts open tickets by "<level>/<status>". */
  constructor(collect: () => Promise<{ open: Record<string, number>; clocks: number }>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'aftersales_' });
    let last: Promise<{ open: Record<string, number>; clocks: number }> | undefined;
    const snapshot = () => (last ??= collect().finally(() => setTimeout(() => (last = undefined), 1000).unref()));
    this.openTickets = new Gauge({
      name: 'aftersales_open_tickets',
      help: 'Open tickets, by level and status',
      labelNames: ['level', 'status'],
      registers: [this.registry],
      async collect() {
        const s = await snapshot();
        this.reset(); // a level/status with no tickets left disappears instead of keeping its last value
        for (const [key, n] of Object.entries(s.open)) {
          const [level, status] = key.split('/');
          this.set({ level: level!, status: status! }, n);
        }
      },
    });
    this.openClocks = new Gauge({
      name: 'aftersales_open_clocks',
      help: 'Running SLA clocks',
      registers: [this.registry],
      async collect() {
        this.set((await snapshot()).clocks);
      },
    });
  }

  /** Counts a classification by label (and passes it on). */
  classifiedAs<C extends { label: string }>(c: C): C {
    this.classified.inc({ label: c.label });
    return c;
  }

  /** Records a fired timer from its job id (sla-<n>-<clock>-<step>-v<version>). */
  timerFired(jobId: string, lateMs: number): void {
    const [, , clock, step] = jobId.split('-');
    this.timersFired.inc({ step: step ?? 'unknown' });
    if (step === 'breach') this.breaches.inc({ clock: clock ?? 'unknown' });
    this.timerLateness.observe(Math.max(0, lateMs) / 1000);
  }
}
