// How mail leaves the app, read from the environment at run time (never baked into the build):
// SMTP when configured, else the local outbox table (N1). The password never reaches a log or error.

export const DEFAULT_MAIL_FROM = 'Loket <no-reply@loket.invalid>';

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (smtps, usually port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
}

export type MailConfig = { transport: 'outbox'; from: string } | { transport: 'smtp'; from: string; smtp: SmtpConfig };

/** A configuration mistake; its message names the variable, never its value. */
export class MailConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailConfigError';
  }
}

function parseBoolean(name: string, raw: string | undefined): boolean | undefined {
  const value = raw?.trim().toLowerCase();
  if (!value) return undefined;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new MailConfigError(`${name} must be true or false`);
}

function parsePort(name: string, raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new MailConfigError(`${name} must be a port number (1–65535)`);
  return port;
}

function fromUrl(raw: string, env: NodeJS.ProcessEnv): SmtpConfig {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MailConfigError('SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new MailConfigError('SMTP_URL must start with smtp:// or smtps://');
  if (!url.hostname) throw new MailConfigError('SMTP_URL has no host');
  const secure = url.protocol === 'smtps:' || (parseBoolean('SMTP_SECURE', env.SMTP_SECURE) ?? false);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? parsePort('SMTP_URL port', url.port) : secure ? 465 : 587,
    secure,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

function fromParts(host: string, env: NodeJS.ProcessEnv): SmtpConfig {
  const rawPort = env.SMTP_PORT?.trim();
  const port = rawPort ? parsePort('SMTP_PORT', rawPort) : undefined;
  const secure = parseBoolean('SMTP_SECURE', env.SMTP_SECURE) ?? port === 465;
  return {
    host,
    port: port ?? (secure ? 465 : 587),
    secure,
    user: env.SMTP_USER?.trim() || undefined,
    password: env.SMTP_PASSWORD || undefined,
  };
}

/** SMTP_URL, or SMTP_HOST (+ SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_SECURE); MAIL_FROM. */
export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig {
  const from = env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM;
  if (/[\r\n]/.test(from) || !from.includes('@')) throw new MailConfigError('MAIL_FROM must be an address such as "Loket <no-reply@example.com>"');
  const url = env.SMTP_URL?.trim();
  if (url) return { transport: 'smtp', from, smtp: fromUrl(url, env) };
  const host = env.SMTP_HOST?.trim();
  if (host) return { transport: 'smtp', from, smtp: fromParts(host, env) };
  return { transport: 'outbox', from };
}

/** A loggable one-liner: `smtp://user@host:587 (STARTTLS)` — the password is never included. */
export function describeMailConfig(config: MailConfig): string {
  if (config.transport === 'outbox') return `local outbox (no SMTP configured), from ${config.from}`;
  const { host, port, secure, user } = config.smtp;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `${secure ? 'smtps' : 'smtp'}://${user ? `${encodeURIComponent(user)}@` : ''}${shownHost}:${port} (${secure ? 'TLS' : 'STARTTLS when offered'}), from ${config.from}`;
}

/** Read at run time through a parameter, so the bundler cannot inline a build-time value. */
export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'production';
}

/** The dev outbox pages exist only while mail goes to the outbox and the app is not in production. */
export function devOutboxEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (isProduction(env)) return false;
  try {
    return mailConfigFromEnv(env).transport === 'outbox';
  } catch {
    return false;
  }
}
