// N4 / A16: every security email in the recipient's language (nl, en, fr), as plain text and
// simple inline-styled HTML built from the same blocks. Texts live in src/i18n/mail/*.json.
import type { TFunction } from 'i18next';
import { mailResources, tMail } from '../../i18n/index.ts';
import { defaultLocale, isLocale, localeTags, type Locale } from '../../i18n/locales.ts';
import { maskEmail } from '../auth/email.ts';

export const mailKinds = [
  'verify-email',
  'account-exists',
  'password-reset',
  'password-changed',
  '2fa-enabled',
  '2fa-disabled',
  'recovery-codes-regenerated',
  'new-device',
  'account-locked',
  'account-unlocked',
  'email-change-confirm',
  'email-change-notice',
  'email-changed',
  'account-suspended',
  'account-deleted',
  'ticket-received',
  // T5: an agent's reply, for a customer who is not watching the ticket
  'ticket-reply',
  // S4: notices of actions taken by support staff
  'account-unlocked-by-support',
  '2fa-reset-by-support',
  'suspension-lifted',
  // S5: an admin invited a new staff member (a single-use link to set the password)
  'staff-invite',
] as const;
export type MailKind = (typeof mailKinds)[number];

/** A12: why an account was locked (the same codes as the lock module's `LockReason`). */
export type MailLockReason = 'wrong-passwords' | 'wrong-codes' | 'unusual-activity';

/** A moment, as epoch milliseconds or a Date; formatted in the recipient's locale and time zone. */
export type MailTime = number | Date;

interface Recipient {
  /** The display name for the greeting; empty → a greeting without a name. */
  name: string;
  /** IANA time zone of the recipient (A16); default Europe/Amsterdam. */
  timeZone?: string;
}
/** "If this wasn't you": reset the password (the recover page) and contact support. */
interface NotYouLinks {
  resetLink: string;
  supportLink: string;
}
interface At {
  /** When it happened; default: the moment of rendering. */
  time?: MailTime;
}

/** The variables each kind takes. Every link is an absolute http(s) URL. */
export interface MailVars {
  'verify-email': Recipient & { code: string; link: string; codeMinutes?: number; linkHours?: number };
  'account-exists': Recipient & { signInLink: string; resetLink: string };
  'password-reset': Recipient & { link: string; validMinutes?: number };
  'password-changed': Recipient & At & NotYouLinks;
  '2fa-enabled': Recipient & At & NotYouLinks;
  '2fa-disabled': Recipient & At & NotYouLinks;
  'recovery-codes-regenerated': Recipient & At & NotYouLinks;
  'new-device': Recipient &
    At & { browser: string; os: string; place: string; ip: string; sessionsLink: string; passwordLink: string };
  'account-locked': Recipient & { reason: MailLockReason; unlockLink: string; validHours?: number };
  /** The "if this wasn't you" links are optional here: unlocking already proved ownership (A12). */
  'account-unlocked': Recipient & At & Partial<NotYouLinks>;
  'email-change-confirm': Recipient & { link: string; validHours?: number };
  /** `newEmail` in full: the template masks it (j***@example.com). */
  'email-change-notice': Recipient & At & NotYouLinks & { newEmail: string };
  'email-changed': Recipient & At & { newEmail: string; supportLink: string };
  'account-suspended': Recipient & { reason: string; termsLink: string; supportLink: string };
  'account-deleted': Recipient & At;
  /** T6: the acknowledgement of a support request; `confirmLink` when the sender must confirm the address. */
  'ticket-received': Recipient & { ticketNumber: number; subject: string; confirmLink?: string; validHours?: number };
  /** T5: `link` leads back to the ticket (signed-in customers) or to /support (public senders, T6). */
  'ticket-reply': Recipient & { ticketNumber: number; subject: string; agentName: string; reply: string; link: string; signedIn: boolean };
  'account-unlocked-by-support': Recipient & At & NotYouLinks;
  '2fa-reset-by-support': Recipient & At & NotYouLinks & { securityLink: string };
  'suspension-lifted': Recipient & At & { signInLink: string };
  'staff-invite': Recipient & { link: string; role: string; inviterName: string; validDays: number };
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Validity defaults: A2 (code 10 min, link 24 h), A5 (reset 30 min); unlock and email change 24 h. */
export const MAIL_DEFAULTS = { codeMinutes: 10, linkHours: 24, resetMinutes: 30, unlockHours: 24, emailChangeHours: 24 } as const;
export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

export class MissingMailTextError extends Error {
  constructor(locale: Locale, key: string) {
    super(`N4: email text "${key}" is missing in ${locale}`);
    this.name = 'MissingMailTextError';
  }
}

type Block =
  | { type: 'p'; text: string; small?: boolean }
  | { type: 'code'; label: string; code: string }
  | { type: 'action'; label: string; url: string }
  | { type: 'facts'; rows: [label: string, value: string][] }
  /** Someone's own words (a reply), kept as plain text with its line breaks. */
  | { type: 'quote'; text: string };

export function mailLocale(value: string): Locale {
  return isLocale(value) ? value : defaultLocale;
}

/** Dates in the recipient's language and time zone, with the zone named (emails are read anywhere). */
export function formatMailTime(time: MailTime, locale: Locale, timeZone: string = DEFAULT_TIME_ZONE): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  };
  const date = typeof time === 'number' ? new Date(time) : time;
  try {
    return new Intl.DateTimeFormat(localeTags[locale], { ...options, timeZone }).format(date);
  } catch {
    // An unknown zone name from an old profile: fall back rather than fail a security email.
    return new Intl.DateTimeFormat(localeTags[locale], { ...options, timeZone: DEFAULT_TIME_ZONE }).format(date);
  }
}

function formatDuration(locale: Locale, amount: { minutes: number } | { hours: number }): string {
  return new Intl.DurationFormat(localeTags[locale], { style: 'long' }).format(amount);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Links in security emails are absolute http(s) URLs; anything else is a bug upstream. */
function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('mail link must be an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TypeError('mail link must be http(s)');
  return parsed.href;
}

function hasText(locale: Locale, key: string): boolean {
  const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], mailResources[locale]);
  return typeof value === 'string' && value.trim() !== '';
}

function translator(locale: Locale): (key: string, values?: Record<string, string>) => string {
  const t: TFunction = tMail(locale);
  return (key, values) => {
    if (!hasText(locale, key)) throw new MissingMailTextError(locale, key);
    return t(key, values ?? {}) as string;
  };
}

/** Renders one email of `kind` in `locale` (unknown locales fall back to English). */
export function renderMail<K extends MailKind>(kind: K, locale: string, vars: MailVars[K]): RenderedMail {
  const lang = mailLocale(locale);
  const tr = translator(lang);
  const v = vars as MailVars[MailKind] & Partial<Recipient & At>;
  const time = formatMailTime(v.time ?? Date.now(), lang, v.timeZone);
  const name = (v.name ?? '').trim();
  const { key, blocks, footer, subjectVars } = body(kind, vars, lang, tr, time);
  const subject = tr(`${key}.subject`, subjectVars).replace(/[\r\n]+/g, ' ');
  const greeting = name ? tr('common.greeting', { name }) : tr('common.greetingNoName');
  const all: Block[] = [{ type: 'p', text: greeting }, ...blocks, { type: 'p', text: tr('common.signoff') }];
  const footerText = footer ?? tr('common.footer');
  const label = (text: string) => tr('common.label', { label: text });
  return {
    subject,
    text: toText(all, footerText, label),
    html: toHtml(lang, subject, all, footerText, tr('common.linkFallback'), label),
  };
}

type Tr = ReturnType<typeof translator>;

function notYou(tr: Tr, links: NotYouLinks): Block[] {
  return [
    { type: 'p', text: tr('common.notYou') },
    { type: 'action', label: tr('common.resetAction'), url: checkedUrl(links.resetLink) },
    { type: 'action', label: tr('common.supportAction'), url: checkedUrl(links.supportLink) },
  ];
}

const lockReasonKeys: Record<MailLockReason, string> = {
  'wrong-passwords': 'wrongPasswords',
  'wrong-codes': 'wrongCodes',
  'unusual-activity': 'unusualActivity',
};

function body(
  kind: MailKind,
  vars: MailVars[MailKind],
  lang: Locale,
  tr: Tr,
  time: string,
): { key: string; blocks: Block[]; footer?: string; subjectVars?: Record<string, string> } {
  const p = (text: string, small = false): Block => ({ type: 'p', text, small });
  const facts = (rows: [string, string][]): Block => ({ type: 'facts', rows });
  switch (kind) {
    case 'verify-email': {
      const x = vars as MailVars['verify-email'];
      const codeMinutes = formatDuration(lang, { minutes: x.codeMinutes ?? MAIL_DEFAULTS.codeMinutes });
      const linkHours = formatDuration(lang, { hours: x.linkHours ?? MAIL_DEFAULTS.linkHours });
      return {
        key: 'verifyEmail',
        blocks: [
          p(tr('verifyEmail.intro')),
          { type: 'code', label: tr('verifyEmail.codeLabel'), code: x.code },
          p(tr('verifyEmail.codeValid', { duration: codeMinutes })),
          p(tr('verifyEmail.linkIntro', { duration: linkHours })),
          { type: 'action', label: tr('verifyEmail.action'), url: checkedUrl(x.link) },
          p(tr('verifyEmail.ignore'), true),
        ],
      };
    }
    case 'account-exists': {
      const x = vars as MailVars['account-exists'];
      return {
        key: 'accountExists',
        blocks: [
          p(tr('accountExists.intro')),
          p(tr('accountExists.signIn')),
          { type: 'action', label: tr('accountExists.signInAction'), url: checkedUrl(x.signInLink) },
          p(tr('accountExists.reset')),
          { type: 'action', label: tr('common.resetAction'), url: checkedUrl(x.resetLink) },
          p(tr('accountExists.ignore'), true),
        ],
      };
    }
    case 'password-reset': {
      const x = vars as MailVars['password-reset'];
      const duration = formatDuration(lang, { minutes: x.validMinutes ?? MAIL_DEFAULTS.resetMinutes });
      return {
        key: 'passwordReset',
        blocks: [
          p(tr('passwordReset.intro')),
          { type: 'action', label: tr('passwordReset.action'), url: checkedUrl(x.link) },
          p(tr('passwordReset.valid', { duration })),
          p(tr('passwordReset.twoFactor')),
          p(tr('passwordReset.sessions')),
          p(tr('passwordReset.ignore'), true),
        ],
      };
    }
    case 'password-changed': {
      const x = vars as MailVars['password-changed'];
      return {
        key: 'passwordChanged',
        blocks: [p(tr('passwordChanged.body', { time })), p(tr('passwordChanged.sessions')), ...notYou(tr, x)],
      };
    }
    case '2fa-enabled':
    case '2fa-disabled':
    case 'recovery-codes-regenerated': {
      const x = vars as MailVars['2fa-enabled'];
      const key = { '2fa-enabled': 'twoFactorEnabled', '2fa-disabled': 'twoFactorDisabled', 'recovery-codes-regenerated': 'recoveryCodesRegenerated' }[kind];
      return { key, blocks: [p(tr(`${key}.body`, { time })), p(tr(`${key}.tip`)), ...notYou(tr, x)] };
    }
    case 'new-device': {
      const x = vars as MailVars['new-device'];
      const shown = (value: string) => value.trim() || tr('common.unknown');
      return {
        key: 'newDevice',
        blocks: [
          p(tr('newDevice.intro')),
          facts([
            [tr('newDevice.time'), time],
            [tr('newDevice.browser'), shown(x.browser)],
            [tr('newDevice.os'), shown(x.os)],
            [tr('newDevice.place'), shown(x.place)],
            [tr('newDevice.ip'), shown(x.ip)],
          ]),
          p(tr('newDevice.ifYou')),
          p(tr('newDevice.notYou')),
          { type: 'action', label: tr('newDevice.sessionsAction'), url: checkedUrl(x.sessionsLink) },
          { type: 'action', label: tr('newDevice.passwordAction'), url: checkedUrl(x.passwordLink) },
        ],
      };
    }
    case 'account-locked': {
      const x = vars as MailVars['account-locked'];
      const reason = lockReasonKeys[x.reason] ?? lockReasonKeys['unusual-activity'];
      const duration = formatDuration(lang, { hours: x.validHours ?? MAIL_DEFAULTS.unlockHours });
      return {
        key: 'accountLocked',
        blocks: [
          p(tr('accountLocked.intro')),
          p(tr(`accountLocked.reason.${reason}`)),
          p(tr('accountLocked.unlock')),
          { type: 'action', label: tr('accountLocked.action'), url: checkedUrl(x.unlockLink) },
          p(tr('accountLocked.valid', { duration })),
          p(tr('accountLocked.twoFactor')),
          p(tr('accountLocked.help'), true),
        ],
      };
    }
    case 'account-unlocked': {
      const x = vars as MailVars['account-unlocked'];
      const links = x.resetLink && x.supportLink ? notYou(tr, { resetLink: x.resetLink, supportLink: x.supportLink }) : [p(tr('accountUnlocked.tip'))];
      return { key: 'accountUnlocked', blocks: [p(tr('accountUnlocked.body', { time })), ...links] };
    }
    case 'email-change-confirm': {
      const x = vars as MailVars['email-change-confirm'];
      const duration = formatDuration(lang, { hours: x.validHours ?? MAIL_DEFAULTS.emailChangeHours });
      return {
        key: 'emailChangeConfirm',
        blocks: [
          p(tr('emailChangeConfirm.intro')),
          { type: 'action', label: tr('emailChangeConfirm.action'), url: checkedUrl(x.link) },
          p(tr('emailChangeConfirm.valid', { duration })),
          p(tr('emailChangeConfirm.ignore'), true),
        ],
      };
    }
    case 'email-change-notice': {
      const x = vars as MailVars['email-change-notice'];
      // A14: the old address learns of the change without the new address being disclosed in full.
      return { key: 'emailChangeNotice', blocks: [p(tr('emailChangeNotice.body', { time, newEmail: maskEmail(x.newEmail) })), ...notYou(tr, x)] };
    }
    case 'email-changed': {
      const x = vars as MailVars['email-changed'];
      return {
        key: 'emailChanged',
        blocks: [
          p(tr('emailChanged.body', { time, newEmail: maskEmail(x.newEmail) })),
          p(tr('emailChanged.notYou')),
          { type: 'action', label: tr('common.supportAction'), url: checkedUrl(x.supportLink) },
        ],
      };
    }
    case 'account-suspended': {
      const x = vars as MailVars['account-suspended'];
      const reason = x.reason.trim();
      return {
        key: 'accountSuspended',
        blocks: [
          p(tr('accountSuspended.intro')),
          ...(reason ? [facts([[tr('accountSuspended.reasonLabel'), reason]])] : []),
          p(tr('accountSuspended.terms')),
          { type: 'action', label: tr('accountSuspended.termsAction'), url: checkedUrl(x.termsLink) },
          p(tr('accountSuspended.appeal')),
          { type: 'action', label: tr('accountSuspended.appealAction'), url: checkedUrl(x.supportLink) },
        ],
      };
    }
    case 'account-deleted':
      return {
        key: 'accountDeleted',
        blocks: [p(tr('accountDeleted.body', { time })), p(tr('accountDeleted.after'))],
        footer: tr('accountDeleted.footer'),
      };
    case 'ticket-received': {
      const x = vars as MailVars['ticket-received'];
      const confirm: Block[] = x.confirmLink
        ? [
            p(tr('ticketReceived.confirm')),
            { type: 'action', label: tr('ticketReceived.confirmAction'), url: checkedUrl(x.confirmLink) },
            p(tr('ticketReceived.valid', { duration: formatDuration(lang, { hours: x.validHours ?? MAIL_DEFAULTS.linkHours }) })),
          ]
        : [];
      // T7: the subject is the sender's own text — escaped in HTML like every value, never rendered as markup.
      return {
        key: 'ticketReceived',
        blocks: [
          p(tr('ticketReceived.intro')),
          facts([
            [tr('ticketReceived.number'), `#${x.ticketNumber}`],
            [tr('ticketReceived.subjectLabel'), x.subject.replace(/\s+/g, ' ').trim()],
          ]),
          ...confirm,
          p(tr('ticketReceived.replies')),
          ...(x.confirmLink ? [p(tr('ticketReceived.ignore'), true)] : []),
        ],
        footer: tr('ticketReceived.footer'),
        subjectVars: { number: String(x.ticketNumber) },
      };
    }
    case 'ticket-reply': {
      const x = vars as MailVars['ticket-reply'];
      // T7: the reply is an agent's plain text — escaped like every value, line breaks kept.
      return {
        key: 'ticketReply',
        blocks: [
          p(x.agentName.trim() ? tr('ticketReply.intro', { agent: x.agentName.replace(/\s+/g, ' ').trim() }) : tr('ticketReply.introNoName')),
          facts([
            [tr('ticketReply.number'), `#${x.ticketNumber}`],
            [tr('ticketReply.subjectLabel'), x.subject.replace(/\s+/g, ' ').trim()],
          ]),
          { type: 'quote', text: x.reply },
          x.signedIn
            ? { type: 'action', label: tr('ticketReply.action'), url: checkedUrl(x.link) }
            : { type: 'action', label: tr('ticketReply.actionPublic'), url: checkedUrl(x.link) },
          p(x.signedIn ? tr('ticketReply.answer') : tr('ticketReply.answerPublic', { number: String(x.ticketNumber) })),
        ],
        footer: tr('ticketReply.footer'),
        subjectVars: { number: String(x.ticketNumber) },
      };
    }
    case 'account-unlocked-by-support': {
      const x = vars as MailVars['account-unlocked-by-support'];
      return { key: 'supportUnlocked', blocks: [p(tr('supportUnlocked.body', { time })), p(tr('supportUnlocked.password')), ...notYou(tr, x)] };
    }
    case '2fa-reset-by-support': {
      const x = vars as MailVars['2fa-reset-by-support'];
      return {
        key: 'supportTwoFactorReset',
        blocks: [
          p(tr('supportTwoFactorReset.body', { time })),
          p(tr('supportTwoFactorReset.after')),
          p(tr('supportTwoFactorReset.setUp')),
          { type: 'action', label: tr('supportTwoFactorReset.action'), url: checkedUrl(x.securityLink) },
          ...notYou(tr, x),
        ],
      };
    }
    case 'suspension-lifted': {
      const x = vars as MailVars['suspension-lifted'];
      return {
        key: 'suspensionLifted',
        blocks: [p(tr('suspensionLifted.body', { time })), { type: 'action', label: tr('suspensionLifted.action'), url: checkedUrl(x.signInLink) }],
      };
    }
    case 'staff-invite': {
      const x = vars as MailVars['staff-invite'];
      return {
        key: 'staffInvite',
        blocks: [
          p(tr('staffInvite.intro', { inviter: x.inviterName, role: tr(`staffInvite.roles.${x.role}`) })),
          { type: 'action', label: tr('staffInvite.action'), url: checkedUrl(x.link) },
          p(tr('staffInvite.valid', { days: String(x.validDays) })),
          p(tr('staffInvite.twoFactor')),
          p(tr('staffInvite.ignore'), true),
        ],
      };
    }
  }
}

/** Plain text: every link raw on its own line (clients without HTML, screen readers, copy-paste). */
function toText(blocks: Block[], footer: string, label: (text: string) => string): string {
  const parts = blocks.map((b) => {
    switch (b.type) {
      case 'p':
        return b.text;
      case 'code':
        return `${label(b.label)}\n\n    ${b.code}`;
      case 'action':
        return `${label(b.label)}\n${b.url}`;
      case 'facts':
        return b.rows.map(([name, value]) => `${label(name)} ${value}`).join('\n');
      case 'quote':
        return b.text.split('\n').map((line) => `> ${line}`.trimEnd()).join('\n');
    }
  });
  return `${parts.join('\n\n')}\n\n-- \n${footer}\n`;
}

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const TEXT = 'color:#1f2937;font-size:16px;line-height:1.5';

/** Simple, inline-styled HTML. Every interpolated value is escaped once, here. */
function toHtml(lang: Locale, subject: string, blocks: Block[], footer: string, linkFallback: string, label: (text: string) => string): string {
  const e = escapeHtml;
  const content = blocks
    .map((b) => {
      switch (b.type) {
        case 'p':
          return b.small
            ? `<p style="margin:0 0 16px;color:#4b5563;font-size:14px;line-height:1.5">${e(b.text)}</p>`
            : `<p style="margin:0 0 16px;${TEXT}">${e(b.text)}</p>`;
        case 'code':
          return (
            `<p style="margin:0 0 4px;${TEXT}">${e(label(b.label))}</p>` +
            `<p style="margin:0 0 16px;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:28px;font-weight:700;letter-spacing:4px;color:#111827">${e(b.code)}</p>`
          );
        case 'action':
          // A real link with its own text, then the URL itself visible (and clickable) for clients that hide buttons.
          return (
            `<p style="margin:0 0 8px"><a href="${e(b.url)}" style="display:inline-block;background:#1d4ed8;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:6px;${FONT}">${e(b.label)}</a></p>` +
            `<p style="margin:0 0 16px;color:#4b5563;font-size:13px;line-height:1.5">${e(linkFallback)}<br><a href="${e(b.url)}" style="color:#1d4ed8;word-break:break-all">${e(b.url)}</a></p>`
          );
        case 'facts':
          return (
            `<table style="border-collapse:collapse;margin:0 0 16px;${TEXT}">` +
            b.rows
              .map(([label, value]) => `<tr><th scope="row" style="text-align:left;padding:2px 16px 2px 0;font-weight:600;vertical-align:top">${e(label)}</th><td style="padding:2px 0">${e(value)}</td></tr>`)
              .join('') +
            `</table>`
          );
        case 'quote':
          return `<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #d1d5db;white-space:pre-wrap;${TEXT}">${e(b.text)}</blockquote>`;
      }
    })
    .join('\n');
  return `<!doctype html>
<html lang="${lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${e(subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f4f6f9">
<div role="article" aria-label="${e(subject)}" lang="${lang}" style="${FONT};padding:24px 12px">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<p style="margin:0 0 24px;font-size:20px;font-weight:700;color:#1f2937">Loket</p>
${content}
</div>
<p style="max-width:560px;margin:16px auto 0;color:#4b5563;font-size:13px;line-height:1.5">${e(footer)}</p>
</div>
</body>
</html>
`;
}
