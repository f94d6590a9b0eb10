// The one mailer: renders an email and delivers it by SMTP (nodemailer) when configured, or to
// the local outbox table otherwise (N1). SMTP deliveries keep only metadata: their bodies carry
// secret links and codes, and a database dump must not yield them.
import { and, desc, eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { mailOutbox } from '../../../db/schema/index.ts';
import type { Db } from '../db/client.ts';
import { describeMailConfig, isProduction, mailConfigFromEnv, type MailConfig, type SmtpConfig } from './config.ts';
import { mailLocale, renderMail, type MailKind, type MailVars } from './templates.ts';

export type OutboxMessage = typeof mailOutbox.$inferSelect;

export interface SendMailInput<K extends MailKind> {
  to: string;
  kind: K;
  /** The recipient's preferred language (A16); anything but nl/en/fr falls back to English. */
  locale: string;
  vars: MailVars[K];
}

export interface SentMail {
  /** The mail_outbox row that records this message. */
  id: number;
  transport: 'smtp' | 'outbox';
}

/** SMTP refused or failed; the reason is recorded on the outbox row. Carries no secret. */
export class MailDeliveryError extends Error {
  readonly kind: MailKind;
  readonly outboxId: number;
  readonly reason: string;
  constructor(kind: MailKind, outboxId: number, reason: string) {
    super(`Email "${kind}" could not be delivered by SMTP (${reason})`);
    this.name = 'MailDeliveryError';
    this.kind = kind;
    this.outboxId = outboxId;
    this.reason = reason;
  }
}

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

let smtp: { key: string; transporter: Transporter } | undefined;

/** One nodemailer transport per process, rebuilt only if the SMTP settings change. */
function smtpTransport(config: SmtpConfig): Transporter {
  const key = JSON.stringify(config);
  if (smtp?.key === key) return smtp.transporter;
  smtp?.transporter.close();
  const transporter = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
    ...TIMEOUTS,
    logger: false,
    debug: false,
  });
  smtp = { key, transporter };
  return transporter;
}

/** Closes the SMTP transport (on shutdown, and between tests). */
export function closeMailer(): void {
  smtp?.transporter.close();
  smtp = undefined;
}

let warnedProductionOutbox = false;

function checkedRecipient(to: string): string {
  const address = to.trim();
  if (!address || /[\r\n,;<>]/.test(address) || !address.includes('@')) throw new TypeError('sendMail: `to` must be one email address');
  return address;
}

/** A short, secret-free reason: the error code and the server's reply or the socket error. */
function deliveryReason(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'ERROR';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return `${code}: ${message}`.replace(/\s+/g, ' ').slice(0, 300);
}

export async function sendMail<K extends MailKind>(db: Db, input: SendMailInput<K>, config: MailConfig = mailConfigFromEnv()): Promise<SentMail> {
  const to = checkedRecipient(input.to);
  const locale = mailLocale(input.locale);
  const mail = renderMail(input.kind, locale, input.vars);
  const meta = { to, kind: input.kind, locale, subject: mail.subject };

  if (config.transport === 'outbox') {
    if (!warnedProductionOutbox && isProduction()) {
      warnedProductionOutbox = true;
      console.warn(`loket: no SMTP configured — emails are kept in the local outbox table (${describeMailConfig(config)})`);
    }
    const [row] = await db
      .insert(mailOutbox)
      .values({ ...meta, text: mail.text, html: mail.html, transport: 'outbox', sentAt: Date.now() })
      .returning({ id: mailOutbox.id });
    return { id: row!.id, transport: 'outbox' };
  }

  let reason: string | null = null;
  try {
    await smtpTransport(config.smtp).sendMail({
      from: config.from,
      to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
  } catch (error) {
    reason = deliveryReason(error);
  }
  // Metadata only: the bodies stay empty for SMTP (see db/schema/auth.ts).
  const [row] = await db
    .insert(mailOutbox)
    .values({ ...meta, transport: 'smtp', sentAt: reason ? null : Date.now(), error: reason })
    .returning({ id: mailOutbox.id });
  if (reason !== null) throw new MailDeliveryError(input.kind, row!.id, reason);
  return { id: row!.id, transport: 'smtp' };
}

/** The newest messages first (all transports; SMTP rows have empty bodies). */
export async function outboxMessages(db: Db, options: { to?: string; limit: number }): Promise<OutboxMessage[]> {
  const limit = Math.max(1, Math.min(Math.trunc(options.limit) || 1, 500));
  return db
    .select()
    .from(mailOutbox)
    .where(options.to ? eq(mailOutbox.to, options.to.trim()) : undefined)
    .orderBy(desc(mailOutbox.id))
    .limit(limit);
}

export async function outboxMessage(db: Db, id: number): Promise<OutboxMessage | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).limit(1);
  return row ?? null;
}

/** The last email sent to `to` (of `kind`, when given) — tests read codes and links from it. */
export async function latestMail(db: Db, to: string, kind?: MailKind): Promise<OutboxMessage | null> {
  const [row] = await db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.to, to.trim()), kind ? eq(mailOutbox.kind, kind) : undefined))
    .orderBy(desc(mailOutbox.id))
    .limit(1);
  return row ?? null;
}

/** The http(s) links in a message's plain text, in order (each sits on its own line). */
export function mailLinks(message: Pick<OutboxMessage, 'text'>): string[] {
  return message.text.split('\n').filter((line) => /^https?:\/\/\S+$/.test(line));
}
