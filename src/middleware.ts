// A `sequence` of small steps: locale, origin check, session, mandatory 2FA (A9), security headers.
import { defineMiddleware, sequence } from 'astro:middleware';
import { DEFAULT_REFERRER_POLICY, SECURITY_HEADERS } from './server/http/security-headers.ts';
import { t } from './i18n/index.ts';
import { isLocale, negotiateLocale } from './i18n/locales.ts';
import { isSecureOrigin, publicOrigin } from './server/config.ts';
import { getDb } from './server/db/client.ts';
import { sessionCookieName, validateSessionToken } from './server/auth/session.ts';
import { twoFactorRequiredFor } from './server/auth/two-factor-policy.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** K1: the locale is the URL's first segment; locale-less URLs negotiate from Accept-Language. */
const locale = defineMiddleware((context, next) => {
  const first = context.url.pathname.split('/')[1];
  context.locals.lang = isLocale(first) ? first : negotiateLocale(context.request.headers.get('accept-language'));
  return next();
});

/** A21 / ASVS V3.5.1: every state-changing request must come from our own origin, whatever its body type. */
const originCheck = defineMiddleware((context, next) => {
  if (SAFE_METHODS.has(context.request.method)) return next();
  // A17: the /api/v1 endpoints authorize by Bearer key only and never read cookies, so a
  // cross-site request carries no authority there; API clients (curl, scripts) send no Origin.
  if (context.url.pathname.startsWith('/api/v1/')) return next();
  const origin = context.request.headers.get('origin');
  const allowed = new Set([publicOrigin(context.url), context.url.origin]);
  if (origin && allowed.has(origin)) return next();
  // Pages sent with `Referrer-Policy: no-referrer` make the browser post `Origin: null`; the
  // browser's Fetch Metadata still tells a same-origin form from a foreign one.
  if (origin === 'null' && context.request.headers.get('sec-fetch-site') === 'same-origin') return next();
  return new Response(t(context.locals.lang)('errors.forbiddenOrigin'), {
    status: 403,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
});

/** A21: the session from its cookie (one indexed read); a dead cookie is removed. */
const session = defineMiddleware(async (context, next) => {
  const secure = isSecureOrigin(publicOrigin(context.url));
  context.locals.secure = secure;
  context.locals.user = null;
  context.locals.session = null;
  context.locals.pendingSession = null;
  const name = sessionCookieName(secure);
  const token = context.cookies.get(name)?.value;
  if (token) {
    const found = await validateSessionToken(await getDb(), token);
    if (found && found.session.twoFactorVerified) {
      context.locals.user = found.user;
      context.locals.session = found.session;
    } else if (found) {
      // A4: password right, second factor still to come — only the login page's code step uses it.
      context.locals.pendingSession = found.session;
    } else {
      context.cookies.delete(name, { path: '/' });
    }
  }
  return next();
});

/** Where a user who must enrol in 2FA may still go (A9): the wizard (in any language), sign-out. */
const ENROLMENT_PATH = /^\/(nl|en|fr)\/(account\/two-factor|logout)\/?$/;

/**
 * A9 / checklist 15: a signed-in user who must have 2FA (staff always; everyone once an `all`
 * policy has started) and has none reaches only the enrolment pages; everything else redirects.
 */
const mandatoryTwoFactor = defineMiddleware(async (context, next) => {
  const user = context.locals.user;
  if (!user || user.totpEnabledAt !== null || ENROLMENT_PATH.test(context.url.pathname)) return next();
  if (!(await twoFactorRequiredFor(await getDb(), user))) return next();
  return new Response(null, { status: 303, headers: { Location: `/${context.locals.lang}/account/two-factor`, 'Cache-Control': 'no-store' } });
});

const securityHeaders = defineMiddleware(async (_context, next) => {
  const response = await next();
  const h = response.headers;
  try {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) h.set(name, value);
    if (!h.has('Referrer-Policy')) h.set('Referrer-Policy', DEFAULT_REFERRER_POLICY);
    if (h.get('Content-Type') === 'text/html') h.set('Content-Type', 'text/html; charset=utf-8');
  } catch {
    // Response.redirect() headers are immutable; redirects carry no content to protect.
  }
  return response;
});

export const onRequest = sequence(locale, originCheck, session, mandatoryTwoFactor, securityHeaders);
