import type { Policy } from '../domain/contract/policy.ts';
import type { Ticket } from '../domain/ticket.ts';
import type { TicketStore } from '../store/tickets.ts';
import { REPORT_NOT_FOUND, reportPageHtml } from '../views/report-page.ts';
import { safeEqual } from './http.ts';

/** The printable report's address: an unguessable token per ticket, under the bot's public URL. */
export function reportLinker(publicUrl: string | undefined): ((t: Ticket) => string | undefined) | undefined {
  if (!publicUrl) return undefined;
  const base = publicUrl.replace(/\/$/, '');
  return (t) => (t.reportToken ? `${base}/reports/${t.n}?t=${t.reportToken}` : undefined);
}

/** Who may see a report: the holder of its unguessable link, or an admin. */
export function mayView(t: Ticket, token: string | undefined, adminGiven: string | undefined, adminToken: string | undefined): boolean {
  return safeEqual(token, t.reportToken) || safeEqual(adminGiven, adminToken);
}

/** `GET /reports/<N>`: the page, or one 404 for a wrong link and a missing ticket alike. */
export function reportPages(store: TicketStore, policy: () => Policy, adminToken: string | undefined) {
  return async (n: number, token: string | undefined, admin: string | undefined): Promise<{ status: number; html: string }> => {
    const t = await store.get(n);
    if (!t || !mayView(t, token, admin, adminToken)) return { status: 404, html: REPORT_NOT_FOUND };
    return { status: 200, html: reportPageHtml(t, policy()) };
  };
}
