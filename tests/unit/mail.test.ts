// N4 / A16 / A20: every security email renders in nl, en and fr, as text and HTML, with its
// links and codes, escaped values, masked addresses and dates in the recipient's time zone.
import { describe, expect, test } from 'vitest';
import { mailResources } from '../../src/i18n/index.ts';
import { locales } from '../../src/i18n/locales.ts';
import { escapeHtml, formatMailTime, mailKinds, MissingMailTextError, renderMail, type MailKind, type MailVars } from '../../src/server/mail/templates.ts';

const origin = 'https://help.example.com';
const time = Date.UTC(2026, 0, 5, 12, 0); // 13:00 in Amsterdam, 07:00 in New York
const notYou = { resetLink: `${origin}/en/recover`, supportLink: `${origin}/en/support` };

const samples: { [K in MailKind]: MailVars[K] } = {
  'verify-email': { name: 'Jan', code: '482913', link: `${origin}/nl/verify?token=abc123&id=x7` },
  'account-exists': { name: 'Jan', signInLink: `${origin}/en/login`, resetLink: `${origin}/en/recover` },
  'password-reset': { name: 'Jan', link: `${origin}/en/reset?token=reset-secret` },
  'password-changed': { name: 'Jan', time, ...notYou },
  '2fa-enabled': { name: 'Jan', time, ...notYou },
  '2fa-disabled': { name: 'Jan', time, ...notYou },
  'recovery-codes-regenerated': { name: 'Jan', time, ...notYou },
  'new-device': {
    name: 'Jan',
    time,
    browser: 'Firefox 140',
    os: 'Linux',
    place: 'Utrecht, NL',
    ip: '203.0.113.7',
    sessionsLink: `${origin}/en/account/sessions`,
    passwordLink: `${origin}/en/account/password`,
  },
  'account-locked': { name: 'Jan', reason: 'wrong-passwords', unlockLink: `${origin}/en/unlock?token=unlock-secret` },
  'account-unlocked': { name: 'Jan', time, ...notYou },
  'email-change-confirm': { name: 'Jan', link: `${origin}/en/email/confirm?token=change-secret` },
  'email-change-notice': { name: 'Jan', time, newEmail: 'jane.doe@example.org', ...notYou },
  'email-changed': { name: 'Jan', time, newEmail: 'jane.doe@example.org', supportLink: `${origin}/en/support` },
  'account-suspended': { name: 'Jan', reason: 'Spam in tickets', termsLink: `${origin}/en/terms`, supportLink: `${origin}/en/support` },
  'account-deleted': { name: 'Jan', time },
  'ticket-received': { name: 'Jan', ticketNumber: 1001, subject: 'Lost my phone', confirmLink: `${origin}/en/support/confirm?token=confirm-secret` },
  'ticket-reply': { name: 'Jan', ticketNumber: 1001, subject: 'Lost my phone', agentName: 'Sam', reply: 'Hello Jan,\n\nTry <b>this</b>.', link: `${origin}/en/support/tickets/1001`, signedIn: true },
  'account-unlocked-by-support': { name: 'Jan', time, ...notYou },
  '2fa-reset-by-support': { name: 'Jan', time, securityLink: `${origin}/en/account`, ...notYou },
  'suspension-lifted': { name: 'Jan', time, signInLink: `${origin}/en/login` },
  'staff-invite': { name: 'Jan', link: `${origin}/en/reset?token=abc.def`, role: 'agent', inviterName: 'Ada', validDays: 7 },
};

/** Every link-like var of a sample (any string value that is a URL). */
const linksOf = (vars: object) => Object.values(vars).filter((v): v is string => typeof v === 'string' && /^https?:\/\//.test(v));
const render = <K extends MailKind>(kind: K, locale: string, vars?: Partial<MailVars[K]>) =>
  renderMail(kind, locale, { ...samples[kind], ...vars } as MailVars[K]);

describe('N4: every email kind renders in nl, en and fr with no missing key', () => {
  test.each(mailKinds.flatMap((kind) => locales.map((locale) => [kind, locale] as const)))('%s in %s', (kind, locale) => {
    const mail = render(kind, locale);
    expect(mail.subject.trim()).not.toBe('');
    expect(mail.text.trim()).not.toBe('');
    expect(mail.html.trim()).not.toBe('');
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).not.toContain('{{');
      expect(part).not.toContain('}}');
      // An unresolved i18next key would show up as `section.key`.
      expect(part).not.toMatch(/\b(common|verifyEmail|accountExists|passwordReset|passwordChanged|twoFactor\w*|recoveryCodes\w*|newDevice|account\w+|email\w+|ticket\w+)\.\w+/);
    }
    expect(mail.html).toContain(`<html lang="${locale}"`);
  });

  test('subjects are short, single-line and specific (different for every kind)', () => {
    for (const locale of locales) {
      const subjects = mailKinds.map((kind) => render(kind, locale).subject);
      for (const s of subjects) {
        expect(s.length, s).toBeLessThanOrEqual(60);
        expect(s).not.toMatch(/[\r\n]/);
      }
      expect(new Set(subjects).size).toBe(mailKinds.length);
    }
  });

  test('each language is really its own (no English fallback in nl or fr)', () => {
    for (const kind of mailKinds) {
      const en = render(kind, 'en');
      expect(render(kind, 'nl').subject, kind).not.toBe(en.subject);
      expect(render(kind, 'fr').subject, kind).not.toBe(en.subject);
    }
    expect(render('verify-email', 'nl').text).toContain('Hoi Jan,');
    expect(render('verify-email', 'fr').text).toContain('Bonjour Jan,');
    expect(render('verify-email', 'en').text).toContain('Hi Jan,');
  });

  test('a missing text fails loudly instead of silently falling back to English', () => {
    const section = mailResources.fr.passwordReset as Record<string, string>;
    const saved = section.intro!;
    delete section.intro;
    try {
      expect(() => render('password-reset', 'fr')).toThrow(MissingMailTextError);
    } finally {
      section.intro = saved;
    }
    expect(render('password-reset', 'fr').text).toContain(saved);
  });

  test('an unknown language falls back to English', () => {
    expect(render('password-reset', 'de').subject).toBe(render('password-reset', 'en').subject);
  });
});

describe('links and codes', () => {
  test.each(mailKinds)('%s: every link is in the text on its own line and in the HTML as a visible <a>', (kind) => {
    for (const locale of locales) {
      const mail = render(kind, locale);
      const lines = mail.text.split('\n');
      for (const link of linksOf(samples[kind])) {
        expect(lines, `${kind}/${locale}`).toContain(link);
        const escaped = escapeHtml(link);
        expect(mail.html).toContain(`href="${escaped}"`);
        expect(mail.html).toContain(`>${escaped}</a>`);
      }
    }
  });

  test('A2: the verification email carries the code and link, code valid 10 minutes, link 24 hours', () => {
    const en = render('verify-email', 'en');
    expect(en.text).toContain('482913');
    expect(en.html).toContain('482913');
    expect(en.text).toContain('10 minutes');
    expect(en.text).toContain('24 hours');
    expect(render('verify-email', 'nl').text).toContain('24 uur');
    expect(render('verify-email', 'fr').text).toMatch(/24\sheures/); // Intl puts a no-break space here
  });

  test('A5: the reset email says 30 minutes, single use, and that a 2FA code is also asked', () => {
    const en = render('password-reset', 'en');
    expect(en.text).toContain('30 minutes');
    expect(en.text).toMatch(/works once/);
    expect(en.text).toMatch(/two-factor authentication/i);
    expect(render('password-reset', 'nl').text).toContain('30 minuten');
  });

  test('A12: the lock email gives the reason, the single-use expiring unlock link and the 2FA note', () => {
    const en = render('account-locked', 'en', { reason: 'wrong-codes', validHours: 2 });
    expect(en.text).toContain('too many wrong 2FA codes');
    expect(en.text).toContain('2 hours');
    expect(en.text).toMatch(/works once/);
    expect(en.text).toMatch(/two-factor authentication \(2FA\) is on/);
  });

  test('A10: the new-device email lists time, browser, OS, place and IP; an unknown place says so', () => {
    const en = render('new-device', 'en');
    for (const value of ['Firefox 140', 'Linux', 'Utrecht, NL', '203.0.113.7', '13:00']) {
      expect(en.text).toContain(value);
      expect(en.html).toContain(value);
    }
    expect(render('new-device', 'nl', { place: '' }).text).toContain('Geschatte locatie: onbekend');
  });

  test('A18: the suspension email shows the reason and links the terms and support', () => {
    const fr = render('account-suspended', 'fr');
    expect(fr.text).toContain('Spam in tickets');
    expect(fr.text).toContain(`${origin}/en/terms`);
    expect(fr.text).toContain(`${origin}/en/support`);
  });

  test('links must be absolute http(s) URLs', () => {
    expect(() => render('password-reset', 'en', { link: '/en/reset?token=x' })).toThrow(TypeError);
    expect(() => render('password-reset', 'en', { link: 'javascript:alert(1)' })).toThrow(TypeError);
  });
});

describe('HTML safety and accessibility', () => {
  test('every interpolated value is HTML-escaped (name, reason, device, address)', () => {
    const evil = '<script>alert("x")</script>';
    const cases = [
      render('verify-email', 'en', { name: evil }),
      render('account-suspended', 'en', { name: evil, reason: `<img src=x onerror=alert(1)> & ${evil}` }),
      render('new-device', 'nl', { name: evil, browser: evil, os: '"><b>', place: evil, ip: evil }),
      render('email-changed', 'fr', { name: evil, newEmail: '<x>@example.org' }),
    ];
    for (const mail of cases) {
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).not.toContain('<img');
      expect(mail.html).not.toContain('"><b>');
      expect(mail.html).toContain('&lt;');
      expect(mail.text).not.toContain('&lt;'); // plain text stays plain
    }
    expect(cases[0]!.html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(cases[0]!.text).toContain(`Hi ${evil},`);
  });

  test('a name with template syntax is shown literally, not interpolated', () => {
    const mail = render('verify-email', 'en', { name: '{{code}}' });
    expect(mail.text).toContain('Hi {{code}},');
  });

  test('the HTML has a lang attribute, a title and real links; the text has the greeting and the A20 footer', () => {
    const mail = render('2fa-disabled', 'en');
    expect(mail.html).toMatch(/^<!doctype html>\n<html lang="en" dir="ltr">/);
    expect(mail.html).toContain(`<title>${escapeHtml(mail.subject)}</title>`);
    expect(mail.html.match(/<a href="https:/g)?.length).toBeGreaterThanOrEqual(2);
    expect(mail.text).toMatch(/^Hi Jan,/);
    // A20: security emails always go out; the footer says why the recipient gets them.
    expect(mail.text).toContain('cannot be switched off');
    expect(render('2fa-disabled', 'nl').text).toContain('je kunt ze niet uitzetten');
    expect(render('2fa-disabled', 'fr').text).toContain("il n'est pas possible de les désactiver");
  });

  test('an empty name gives a greeting without a name', () => {
    expect(render('account-deleted', 'nl', { name: '  ' }).text).toMatch(/^Hoi,\n/);
  });
});

describe('A14: email change', () => {
  test('the notice to the old address shows the new address masked (j***@example.org)', () => {
    for (const kind of ['email-change-notice', 'email-changed'] as const) {
      for (const locale of locales) {
        const mail = render(kind, locale);
        expect(mail.text, `${kind}/${locale}`).toContain('j***@example.org');
        expect(mail.html).toContain('j***@example.org');
        expect(mail.text + mail.html).not.toContain('jane.doe');
      }
    }
  });
});

describe('A16: dates in the recipient\'s language and time zone', () => {
  test('formatted with Intl in the locale, Europe/Amsterdam by default', () => {
    expect(formatMailTime(time, 'en')).toMatch(/Monday, 5 January 2026 at 13:00/);
    expect(formatMailTime(time, 'nl')).toMatch(/maandag 5 januari 2026 om 13:00/);
    expect(formatMailTime(time, 'fr')).toMatch(/lundi 5 janvier 2026 à 13:00/);
    expect(formatMailTime(time, 'en', 'America/New_York')).toMatch(/07:00/);
  });

  test('the email uses vars.timeZone; an unknown zone falls back to Amsterdam', () => {
    expect(render('password-changed', 'en', { timeZone: 'Asia/Tokyo' }).text).toContain('21:00');
    expect(render('password-changed', 'en', { timeZone: 'Not/AZone' }).text).toContain('13:00');
  });
});
