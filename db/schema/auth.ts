// Accounts and security (A1–A21): users, sessions (Lucia: only a hash of the secret is stored),
// one-time codes and links, rate limits, known devices, recovery codes, API keys, the
// security-event log and the site's account policy.
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(unixepoch('subsec') * 1000)`;

export const roles = ['customer', 'agent', 'editor', 'admin'] as const;
export type Role = (typeof roles)[number];

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Normalized (trimmed, lowercased) for lookups; unique. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** A16: fixed after sign-up; support may change it. */
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: roles }).notNull().default('customer'),
    emailVerifiedAt: integer('email_verified_at'),
    locale: text('locale').notNull().default('en'),
    timeZone: text('time_zone').notNull().default('Europe/Amsterdam'),
    region: text('region').notNull().default('nl-NL'),
    totpSecret: text('totp_secret'),
    totpEnabledAt: integer('totp_enabled_at'),
    /** A7: the last accepted time step; a code of this step or earlier is a replay. */
    totpLastStep: integer('totp_last_step'),
    lockedAt: integer('locked_at'),
    lockReason: text('lock_reason'),
    suspendedAt: integer('suspended_at'),
    suspensionReason: text('suspension_reason'),
    deletedAt: integer('deleted_at'),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('users_email').on(t.email), uniqueIndex('users_username').on(t.username)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** The public half of the token `id.secret`. */
    id: text('id').primaryKey(),
    /** SHA-256 of the secret half; compared in constant time. */
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    /** Inactivity expiry counts from here; refreshed at most hourly. */
    lastActiveAt: integer('last_active_at').notNull(),
    /** Absolute lifetime: the session ends here whatever the activity. */
    expiresAt: integer('expires_at').notNull(),
    /** A4/A7: false until the second factor was verified on this session. */
    twoFactorVerified: integer('two_factor_verified', { mode: 'boolean' }).notNull().default(false),
    /** A21: sudo mode — the last password (and code) confirmation. */
    reauthenticatedAt: integer('reauthenticated_at'),
    ip: text('ip').notNull().default(''),
    userAgent: text('user_agent').notNull().default(''),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** A2 / A5 / A12 / A14: emailed single-use codes and links, stored hashed. */
export const oneTimeTokens = sqliteTable(
  'one_time_tokens',
  {
    id: text('id').primaryKey(),
    purpose: text('purpose', { enum: ['verify-email', 'password-reset', 'unlock', 'email-change'] }).notNull(),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 of the link secret. */
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    /** SHA-256 of the short code typed by hand (verification), when there is one. */
    codeHash: blob('code_hash', { mode: 'buffer' }),
    /** For email changes: the new address. */
    email: text('email'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at').notNull().default(now),
    expiresAt: integer('expires_at').notNull(),
    codeExpiresAt: integer('code_expires_at'),
    usedAt: integer('used_at'),
  },
  (t) => [index('one_time_tokens_user').on(t.userId, t.purpose)],
);

/** A21: fixed-window counters, in the database so they survive restarts and hold across instances. */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

/** A10: devices (cookie) and networks already seen for an account. */
export const knownDevices = sqliteTable(
  'known_devices',
  {
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['device', 'network'] }).notNull(),
    valueHash: text('value_hash').notNull(),
    firstSeenAt: integer('first_seen_at').notNull().default(now),
    lastSeenAt: integer('last_seen_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.valueHash] })],
);

/** A6/A7: ten single-use recovery codes per set, stored hashed. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at'),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [index('recovery_codes_user').on(t.userId)],
);

/** A17: one personal API key per user, shown once, stored hashed. */
export const apiKeys = sqliteTable('api_keys', {
  userId: text('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  /** The public prefix, to find the key and to show which key it is. */
  keyId: text('key_id').notNull().unique(),
  secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
  createdAt: integer('created_at').notNull().default(now),
  lastUsedAt: integer('last_used_at'),
});

/** A21: every security event with time, IP and actor. */
export const securityEvents = sqliteTable(
  'security_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id'),
    type: text('type').notNull(),
    /** Who did it: the user, a staff member's id, or `system`. */
    actor: text('actor').notNull(),
    ip: text('ip').notNull().default(''),
    userAgent: text('user_agent').notNull().default(''),
    /** Non-secret details (never a password, code, token or key). */
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [index('security_events_user').on(t.userId, t.createdAt)],
);

/** A9 and other site-wide settings, one JSON value per key. */
export const siteSettings = sqliteTable('site_settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull().default(now),
});

/** Outgoing mail: the local outbox (no SMTP configured) and a record of what SMTP sent. */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    to: text('to').notNull(),
    kind: text('kind').notNull(),
    locale: text('locale').notNull(),
    subject: text('subject').notNull(),
    /** Bodies are kept only in the local outbox (development); mail sent by SMTP keeps none (its links are secrets). */
    text: text('text').notNull().default(''),
    html: text('html').notNull().default(''),
    transport: text('transport', { enum: ['outbox', 'smtp'] }).notNull(),
    createdAt: integer('created_at').notNull().default(now),
    sentAt: integer('sent_at'),
    error: text('error'),
  },
  (t) => [index('mail_outbox_to').on(t.to, t.createdAt)],
);
