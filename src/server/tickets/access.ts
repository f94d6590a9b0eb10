// T2 / S1 / S4: who may see and act on a ticket. Customers see only their own tickets (T2);
// agents and admins work every ticket (S1–S4); editors are staff but not support agents, so they
// get nothing here. One module decides, for pages, endpoints, streams and the API alike.
import type { Role } from '../../../db/schema/index.ts';
import type { Audience } from './live-events.ts';

/** Roles that answer tickets (S1–S5). */
export const AGENT_ROLES: readonly Role[] = ['agent', 'admin'];

export function isAgent(user: { role: Role } | null | undefined): boolean {
  return !!user && AGENT_ROLES.includes(user.role);
}

/**
 * How a user sees a ticket: `staff` (everything, internal notes included), `customer` (their own
 * ticket, never an internal note) or null (not theirs — answered as if it did not exist).
 */
export function ticketAudience(user: { id: string; role: Role } | null | undefined, ticket: { customerId: string | null }): Audience | null {
  if (!user) return null;
  if (isAgent(user)) return 'staff';
  if (ticket.customerId !== null && ticket.customerId === user.id) return 'customer';
  return null;
}
