// S2 / S4: what a posted form on a ticket's console page does — claim or assign, reply, internal
// note, status, a draft knowledge-base entry from a resolved ticket (E5), and the account actions on the ticket's customer (each with a required reason,
// through the auth module's staff actions). One result type: done (a key for the page's message)
// or refused (an HTTP status and a key for the localized error). A refusal writes nothing.
import { liftSuspension, endAllSessions, deleteAccount, resetTwoFactor, suspendAccount, unlockAccount, type StaffActor, type StaffActionResult } from '../auth/staff-actions.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Db } from '../db/client.ts';
import { draftFromTicket } from '../editor/from-ticket.ts';
import { assignTicket, replyAsAgent, setTicketStatus } from './workflow.ts';
import type { Ticket } from './tickets.ts';

export const accountActions = ['unlock', 'reset-2fa', 'suspend', 'lift-suspension', 'end-sessions', 'delete'] as const;
export type AccountAction = (typeof accountActions)[number];
const isAccountAction = (v: unknown): v is AccountAction => typeof v === 'string' && (accountActions as readonly string[]).includes(v);

const perform: Record<AccountAction, (db: Db, actor: StaffActor, userId: string, reason: unknown) => Promise<StaffActionResult>> = {
  unlock: unlockAccount,
  'reset-2fa': resetTwoFactor,
  suspend: suspendAccount,
  'lift-suspension': liftSuspension,
  'end-sessions': endAllSessions,
  delete: deleteAccount,
};

export type ConsoleActionResult =
  | { ok: true; done: string; /** The ticket is gone (the customer's account and tickets were deleted). */ ticketGone?: boolean }
  | { ok: false; status: 400 | 403 | 404 | 409; error: string; vars?: Record<string, unknown>; field?: string };

const refusalStatus = (reason: string): 400 | 403 | 404 | 409 =>
  reason === 'forbidden' || reason === 'self' ? 403 : reason === 'not-found' ? 404 : reason.startsWith('reason-') || reason === 'invalid' ? 400 : 409;

export async function runTicketAction(
  db: Db,
  user: SessionUser,
  actor: StaffActor,
  ticket: Ticket,
  form: Record<string, string>,
  customerId: string | null,
): Promise<ConsoleActionResult> {
  const me = { id: user.id, role: user.role };
  // The composer posts `message` with a mode (reply or internal note); `reply` and `note` name it directly.
  const action = form.action === 'message' ? (form.mode === 'note' ? 'note' : form.mode === 'reply' ? 'reply' : 'bad-mode') : form.action;
  switch (action) {
    case 'claim': {
      const r = await assignTicket(db, me, ticket.id, user.id);
      return r.ok ? { ok: true, done: 'claimed' } : { ok: false, status: refusalStatus(r.reason), error: `workflow.${r.reason}` };
    }
    case 'assign': {
      const assignee = form.assignee === '' ? null : form.assignee;
      if (assignee !== null && (typeof assignee !== 'string' || !/^[a-z2-7]{16,64}$/.test(assignee))) return { ok: false, status: 400, error: 'workflow.invalid-assignee', field: 'assignee' };
      const r = await assignTicket(db, me, ticket.id, assignee ?? null);
      if (!r.ok) return { ok: false, status: refusalStatus(r.reason), error: r.reason === 'invalid' ? 'workflow.invalid-assignee' : `workflow.${r.reason}`, field: 'assignee' };
      return { ok: true, done: assignee ? 'assigned' : 'unassigned' };
    }
    case 'status': {
      const r = await setTicketStatus(db, me, ticket.id, form.status);
      if (!r.ok) return { ok: false, status: refusalStatus(r.reason), error: r.reason === 'invalid' ? 'workflow.invalid-status' : `workflow.${r.reason}`, field: 'status' };
      return { ok: true, done: 'status' };
    }
    case 'reply':
    case 'note': {
      const internal = action === 'note';
      const r = await replyAsAgent(db, me, ticket.id, form.body, { internal, origin: actor.origin });
      if (r.ok) return { ok: true, done: internal ? 'noted' : 'replied' };
      if (r.reason === 'invalid') return { ok: false, status: 400, error: `message.${r.problem}`, field: 'body' };
      return { ok: false, status: r.reason === 'not-found' ? 404 : 409, error: `workflow.${r.reason}` };
    }
    case 'account': {
      if (!isAccountAction(form.accountAction)) return { ok: false, status: 400, error: 'account.unknown-action', field: 'accountAction' };
      if (!customerId) return { ok: false, status: 404, error: 'refusal.not-found' };
      const r = await perform[form.accountAction](db, actor, customerId, form.reason);
      if (!r.ok) return { ok: false, status: refusalStatus(r.reason), error: `refusal.${r.reason}`, vars: 'max' in r ? { max: r.max } : undefined, field: r.reason.startsWith('reason-') ? 'reason' : undefined };
      return { ok: true, done: `account.${form.accountAction}`, ticketGone: form.accountAction === 'delete' };
    }
    case 'draft-entry': {
      // E5: a draft entry for the editors, from this resolved ticket; never public until published.
      const r = await draftFromTicket(db, me, ticket);
      if (!r.ok) return { ok: false, status: r.reason === 'forbidden' ? 403 : 409, error: `draft.${r.reason}` };
      return { ok: true, done: r.created ? 'draft-entry' : 'draft-entry-exists' };
    }
    default:
      return { ok: false, status: 400, error: 'unknown-action' };
  }
}
