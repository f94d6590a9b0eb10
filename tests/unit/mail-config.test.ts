// N1: mail goes by SMTP when the environment configures it, else to the local outbox; the
// dev outbox page exists only outside production. The SMTP password never shows up in text.
import { describe, expect, test } from 'vitest';
import { DEFAULT_MAIL_FROM, describeMailConfig, devOutboxEnabled, MailConfigError, mailConfigFromEnv } from '../../src/server/mail/config.ts';

describe('N1: mail configuration from the environment', () => {
  test('no SMTP settings → the local outbox, with the default sender', () => {
    expect(mailConfigFromEnv({})).toEqual({ transport: 'outbox', from: DEFAULT_MAIL_FROM });
    expect(DEFAULT_MAIL_FROM).toBe('Loket <no-reply@loket.invalid>');
  });

  test('SMTP_URL: smtp:// is STARTTLS on 587 by default, smtps:// is TLS on 465; credentials are URL-decoded', () => {
    expect(mailConfigFromEnv({ SMTP_URL: 'smtp://mailer%40example.com:p%40ss%3Aword@mail.example.com' })).toEqual({
      transport: 'smtp',
      from: DEFAULT_MAIL_FROM,
      smtp: { host: 'mail.example.com', port: 587, secure: false, user: 'mailer@example.com', password: 'p@ss:word' },
    });
    const tls = mailConfigFromEnv({ SMTP_URL: 'smtps://u:p@mail.example.com', MAIL_FROM: 'Help <help@example.com>' });
    expect(tls).toMatchObject({ from: 'Help <help@example.com>', smtp: { port: 465, secure: true } });
    expect(mailConfigFromEnv({ SMTP_URL: 'smtp://mail.example.com:2525' })).toMatchObject({ smtp: { port: 2525, user: undefined } });
  });

  test('SMTP_HOST with SMTP_PORT, SMTP_USER, SMTP_PASSWORD and SMTP_SECURE', () => {
    expect(mailConfigFromEnv({ SMTP_HOST: 'mail.example.com', SMTP_PORT: '2587', SMTP_USER: 'u', SMTP_PASSWORD: 'secret', SMTP_SECURE: 'false' })).toMatchObject({
      transport: 'smtp',
      smtp: { host: 'mail.example.com', port: 2587, secure: false, user: 'u', password: 'secret' },
    });
    expect(mailConfigFromEnv({ SMTP_HOST: 'mail.example.com', SMTP_PORT: '465' })).toMatchObject({ smtp: { secure: true } });
    expect(mailConfigFromEnv({ SMTP_HOST: 'mail.example.com', SMTP_SECURE: 'true' })).toMatchObject({ smtp: { port: 465, secure: true } });
  });

  test('bad values are refused with a message that names the variable but never echoes a password', () => {
    const attempts: Record<string, string>[] = [
      { SMTP_URL: 'http://user:hunter2@mail.example.com' },
      { SMTP_URL: 'not a url hunter2' },
      { SMTP_URL: 'smtp://user:hunter2@mail.example.com:99999' },
      { SMTP_HOST: 'mail.example.com', SMTP_PORT: 'abc', SMTP_PASSWORD: 'hunter2' },
      { SMTP_HOST: 'mail.example.com', SMTP_SECURE: 'maybe', SMTP_PASSWORD: 'hunter2' },
      { MAIL_FROM: 'no address\r\nBcc: x@example.com' },
    ];
    for (const env of attempts) {
      let error: unknown;
      try {
        mailConfigFromEnv(env);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(env)).toBeInstanceOf(MailConfigError);
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  test('describeMailConfig shows where mail goes, never the password', () => {
    const text = describeMailConfig(mailConfigFromEnv({ SMTP_URL: 'smtp://me:hunter2@mail.example.com:587' }));
    expect(text).toContain('smtp://me@mail.example.com:587');
    expect(text).not.toContain('hunter2');
    expect(describeMailConfig(mailConfigFromEnv({}))).toMatch(/local outbox/);
  });

  test('the dev outbox page exists only with the outbox transport and outside production', () => {
    expect(devOutboxEnabled({})).toBe(true);
    expect(devOutboxEnabled({ NODE_ENV: 'development' })).toBe(true);
    expect(devOutboxEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(devOutboxEnabled({ SMTP_URL: 'smtp://mail.example.com' })).toBe(false);
    expect(devOutboxEnabled({ SMTP_URL: 'not-valid' })).toBe(false);
  });
});
