// S3: the customer panel beside a ticket — the account's state (verified email, 2FA, locked,
// suspended), its sessions and recent security events; for a public sender (T6) whether an
// account with that address exists and whether the address was confirmed.
import { count, eq, max } from 'drizzle-orm';
import { sessions, users, type Role } from '../../../db/schema/index.ts';
import { eventsOf } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import type { Ticket } from './tickets.ts';

export interface PanelAccount {
  id: string;
  name: string;
  email: string;
  role: Role;
  locale: string;
  emailVerifiedAt: number | null;
  totpEnabledAt: number | null;
  lockedAt: number | null;
  lockReason: string | null;
  suspendedAt: number | null;
  suspensionReason: string | null;
  deletedAt: number | null;
  sessionCount: number;
  lastActiveAt: number | null;
}

export interface PanelEvent {
  id: number;
  type: string;
  createdAt: number;
  ip: string;
  actor: string;
  actorName: string | null;
  reason: string | null;
}

export interface CustomerPanel {
  /** The account the ticket belongs to, or (public sender) the account with the sender's address. */
  account: PanelAccount | null;
  /** T6: the ticket came from the public form; the address is trusted only once confirmed. */
  publicSender: boolean;
  senderConfirmedAt: number | null;
  events: PanelEvent[];
}

export const PANEL_EVENT_LIMIT = 12;

export async function customerPanel(db: Db, ticket: Ticket): Promise<CustomerPanel> {
  const where = ticket.customerId ? eq(users.id, ticket.customerId) : eq(users.email, ticket.senderEmail);
  const user = (await db.select().from(users).where(where).limit(1))[0];
  const base = { publicSender: ticket.unverifiedSender, senderConfirmedAt: ticket.senderVerifiedAt };
  if (!user) return { ...base, account: null, events: [] };
  const [sessionStats, rawEvents] = await Promise.all([
    db.select({ n: count(), last: max(sessions.lastActiveAt) }).from(sessions).where(eq(sessions.userId, user.id)),
    eventsOf(db, user.id, PANEL_EVENT_LIMIT),
  ]);
  const actorIds = [...new Set(rawEvents.map((e) => e.actor).filter((a) => a !== user.id && a !== 'system' && a !== 'anonymous'))];
  const actorNames = new Map<string, string>();
  for (const id of actorIds) {
    const row = (await db.select({ name: users.name }).from(users).where(eq(users.id, id)).limit(1))[0];
    if (row) actorNames.set(id, row.name);
  }
  return {
    ...base,
    account: {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      locale: user.locale,
      emailVerifiedAt: user.emailVerifiedAt,
      totpEnabledAt: user.totpEnabledAt,
      lockedAt: user.lockedAt,
      lockReason: user.lockReason,
      suspendedAt: user.suspendedAt,
      suspensionReason: user.suspensionReason,
      deletedAt: user.deletedAt,
      sessionCount: Number(sessionStats[0]?.n ?? 0),
      lastActiveAt: sessionStats[0]?.last ?? null,
    },
    events: rawEvents.map((e) => ({
      id: e.id,
      type: e.type,
      createdAt: e.createdAt,
      ip: e.ip,
      actor: e.actor,
      actorName: e.actor === user.id ? user.name : (actorNames.get(e.actor) ?? null),
      reason: typeof e.detail?.reason === 'string' ? e.detail.reason : null,
    })),
  };
}
