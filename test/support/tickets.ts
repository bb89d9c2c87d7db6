import type { TicketPayload } from '../../services/signin/tickets.js';

let issued = 0;

/** A sign-in ticket's payload as the ticket service signs it, issued at `at` (valid 10 minutes), with a fresh jti. */
export function ticketPayload(at: Date, fields: Partial<TicketPayload> = {}): TicketPayload {
  issued += 1;
  return {
    v: 1,
    jti: `ticket-${String(issued).padStart(12, '0')}`,
    personId: 'p1',
    tenantId: 'contoso',
    kind: 'learn',
    accountId: 'MCID-1',
    conversation: {},
    locale: 'en',
    iat: at.getTime() / 1000,
    exp: at.getTime() / 1000 + 600,
    ...fields,
  };
}
