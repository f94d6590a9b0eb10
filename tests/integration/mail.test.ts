// N1 / A21: the one mailer. With SMTP configured it delivers a multipart text + HTML message to a
// real SMTP server (loopback) and keeps only metadata; without SMTP it keeps the message in the
// local outbox; a failing SMTP server gives a typed error and a recorded failure.
import { eq } from 'drizzle-orm';
import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { mailOutbox } from '../../db/schema/index.ts';
import type { Db } from '../../src/server/db/client.ts';
import { closeMailer, latestMail, MailDeliveryError, mailLinks, outboxMessages, sendMail } from '../../src/server/mail/mailer.ts';
import { tempDb } from '../helpers/kb.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
  auth?: { username: string; password: string };
}

let received: Received[] = [];
let rejectRecipients = false;
let smtp: SMTPServer;
let smtpPort: number;

let handle: Awaited<ReturnType<typeof tempDb>>;
let db: Db;

const verifyVars = { name: 'Jan', code: '482913', link: 'https://help.example.com/en/verify?token=secret-token-123' };

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: { username: auth.username ?? '', password: auth.password ?? '' } });
    },
    onRcptTo(_address, _session, callback) {
      callback(rejectRecipients ? Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          auth: session.user as Received['auth'],
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterAll(async () => {
  closeMailer();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

beforeEach(async () => {
  received = [];
  rejectRecipients = false;
  handle = await tempDb();
  db = handle.db;
  for (const name of ['SMTP_URL', 'SMTP_HOST', 'SMTP_PORT', 'SMTP_USER', 'SMTP_PASSWORD', 'SMTP_SECURE', 'MAIL_FROM']) vi.stubEnv(name, '');
});

afterEach(() => {
  vi.unstubAllEnvs();
  closeMailer();
  handle.close();
});

/** Headers and decoded text parts of a raw MIME message (enough for nodemailer's output). */
function parseMime(raw: string) {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const headers = head.replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(headers)?.[1];
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(headers)?.[1];
  const body = rest.join('\r\n\r\n');
  const parts = (boundary ? body.split(`--${boundary}`).slice(1, -1) : []).map((part) => {
    const [partHead = '', ...partBody] = part.replace(/^\r\n/, '').split('\r\n\r\n');
    const encoded = partBody.join('\r\n\r\n');
    const type = /content-type: ([^;\r\n]+)/i.exec(partHead)?.[1]?.toLowerCase();
    const encoding = /content-transfer-encoding: (\S+)/i.exec(partHead)?.[1]?.toLowerCase();
    const content =
      encoding === 'base64'
        ? Buffer.from(encoded.replace(/\s+/g, ''), 'base64').toString('utf8')
        : encoding === 'quoted-printable'
          ? Buffer.from(
              encoded.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            ).toString('utf8')
          : encoded;
    return { type, content };
  });
  return { header, contentType: header('Content-Type') ?? '', parts };
}

describe('N1: SMTP configured (a real SMTP server on loopback)', () => {
  test('sendMail delivers a multipart text + HTML message with the right From, To and Subject', async () => {
    vi.stubEnv('SMTP_URL', `smtp://mailer:s3cret-pass@127.0.0.1:${smtpPort}`);
    vi.stubEnv('MAIL_FROM', 'Loket Help <help@example.com>');
    const sent = await sendMail(db, { to: 'jan@example.com', kind: 'verify-email', locale: 'en', vars: verifyVars });
    expect(sent.transport).toBe('smtp');

    expect(received).toHaveLength(1);
    const message = received[0]!;
    expect(message.from).toBe('help@example.com');
    expect(message.to).toEqual(['jan@example.com']);
    expect(message.auth).toEqual({ username: 'mailer', password: 's3cret-pass' });
    const mime = parseMime(message.raw);
    expect(mime.header('From')).toBe('Loket Help <help@example.com>');
    expect(mime.header('To')).toBe('jan@example.com');
    expect(mime.header('Subject')).toBe('Confirm your email address');
    expect(mime.header('Auto-Submitted')).toBe('auto-generated');
    expect(mime.contentType).toMatch(/^multipart\/alternative/);
    const text = mime.parts.find((p) => p.type === 'text/plain')?.content ?? '';
    const html = mime.parts.find((p) => p.type === 'text/html')?.content ?? '';
    expect(text.replace(/\r\n/g, '\n').split('\n')).toContain(verifyVars.link);
    expect(text).toContain('482913');
    expect(html).toContain(`href="${verifyVars.link}"`);
    expect(html).toContain('<html lang="en"');
  });

  test('the outbox row of an SMTP message keeps metadata only: empty text and HTML', async () => {
    vi.stubEnv('SMTP_HOST', '127.0.0.1');
    vi.stubEnv('SMTP_PORT', String(smtpPort));
    const sent = await sendMail(db, { to: 'jan@example.com', kind: 'verify-email', locale: 'nl', vars: verifyVars });
    const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, sent.id));
    expect(row).toMatchObject({ to: 'jan@example.com', kind: 'verify-email', locale: 'nl', subject: 'Bevestig je e-mailadres', transport: 'smtp', text: '', html: '', error: null });
    expect(row!.sentAt).toBeTypeOf('number');
    // Nothing secret anywhere in the stored row.
    expect(JSON.stringify(row)).not.toContain('secret-token-123');
    expect(JSON.stringify(row)).not.toContain('482913');
  });

  test('non-ASCII subjects arrive intact (French)', async () => {
    vi.stubEnv('SMTP_URL', `smtp://127.0.0.1:${smtpPort}`);
    await sendMail(db, { to: 'marie@example.com', kind: 'password-reset', locale: 'fr', vars: { name: 'Marie', link: 'https://help.example.com/fr/reset?token=t' } });
    const subject = parseMime(received[0]!.raw).header('Subject') ?? '';
    const decoded = subject.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
    expect(decoded).toBe('Réinitialisez votre mot de passe');
  });

  test('SMTP down → MailDeliveryError, the failure recorded, no secret in the error', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    vi.stubEnv('SMTP_URL', `smtp://mailer:s3cret-pass@127.0.0.1:${deadPort}`);

    const error = await sendMail(db, { to: 'jan@example.com', kind: 'verify-email', locale: 'en', vars: verifyVars }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailDeliveryError);
    const failure = error as MailDeliveryError;
    expect(failure.kind).toBe('verify-email');
    expect(failure.message).toMatch(/could not be delivered/);
    for (const secret of ['s3cret-pass', 'secret-token-123', '482913']) expect(`${failure.message} ${failure.reason}`).not.toContain(secret);

    const row = await latestMail(db, 'jan@example.com', 'verify-email');
    expect(row).toMatchObject({ id: failure.outboxId, transport: 'smtp', sentAt: null, text: '', html: '' });
    expect(row!.error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    expect(row!.error).not.toContain('s3cret-pass');
  });

  test('a recipient refused by the server → MailDeliveryError with the recorded reason', async () => {
    vi.stubEnv('SMTP_URL', `smtp://127.0.0.1:${smtpPort}`);
    rejectRecipients = true;
    await expect(sendMail(db, { to: 'nobody@example.com', kind: 'account-deleted', locale: 'en', vars: { name: 'X' } })).rejects.toBeInstanceOf(MailDeliveryError);
    const row = await latestMail(db, 'nobody@example.com');
    expect(row!.error).toMatch(/550|EENVELOPE/);
    expect(row!.sentAt).toBeNull();
  });
});

describe('N1: no SMTP configured → the local outbox', () => {
  test('the outbox row keeps subject, text and HTML, and latestMail returns it', async () => {
    const sent = await sendMail(db, { to: 'jan@example.com', kind: 'verify-email', locale: 'fr', vars: verifyVars });
    expect(sent.transport).toBe('outbox');
    expect(received).toHaveLength(0);

    const mail = await latestMail(db, 'jan@example.com', 'verify-email');
    expect(mail).toMatchObject({ id: sent.id, transport: 'outbox', locale: 'fr', subject: 'Confirmez votre adresse e-mail', error: null });
    expect(mail!.text).toContain('482913');
    expect(mail!.html).toContain(`href="${verifyVars.link}"`);
    expect(mailLinks(mail!)).toEqual([verifyVars.link]);
  });

  test('latestMail picks the newest of a kind for one recipient; outboxMessages lists newest first', async () => {
    await sendMail(db, { to: 'a@example.com', kind: 'verify-email', locale: 'en', vars: { ...verifyVars, code: '111111' } });
    await sendMail(db, { to: 'b@example.com', kind: 'verify-email', locale: 'en', vars: { ...verifyVars, code: '222222' } });
    await sendMail(db, { to: 'a@example.com', kind: 'verify-email', locale: 'en', vars: { ...verifyVars, code: '333333' } });
    await sendMail(db, { to: 'a@example.com', kind: 'account-deleted', locale: 'nl', vars: { name: 'A' } });

    expect((await latestMail(db, 'a@example.com', 'verify-email'))!.text).toContain('333333');
    expect((await latestMail(db, 'a@example.com'))!.kind).toBe('account-deleted');
    expect(await latestMail(db, 'c@example.com')).toBeNull();

    const all = await outboxMessages(db, { limit: 10 });
    expect(all.map((m) => m.to)).toEqual(['a@example.com', 'a@example.com', 'b@example.com', 'a@example.com']);
    expect((await outboxMessages(db, { to: 'b@example.com', limit: 10 })).map((m) => m.text.includes('222222'))).toEqual([true]);
    expect(await outboxMessages(db, { limit: 2 })).toHaveLength(2);
  });

  test('an address with a line break or several recipients is refused before anything is stored', async () => {
    for (const to of ['a@example.com\r\nBcc: x@example.com', 'a@example.com, b@example.com', 'not-an-address']) {
      await expect(sendMail(db, { to, kind: 'account-deleted', locale: 'en', vars: { name: 'A' } })).rejects.toThrow(TypeError);
    }
    expect(await outboxMessages(db, { limit: 10 })).toEqual([]);
  });
});
