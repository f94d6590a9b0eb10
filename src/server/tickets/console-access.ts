// S1–S5: who may open the staff console. Signed out → the sign-in page (and back here after);
// customers and editors → 403 (editors are staff but not support agents); agents and admins in;
// the admin pages (S5) are for admins only (agents get 403 too).
import type { SessionUser } from '../auth/session.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { isAgent } from './access.ts';

export type ConsoleGate = { ok: true; user: SessionUser; lang: Locale } | { ok: false; status: 303; location: string } | { ok: false; status: 403; lang: Locale; /** Agents on an admin page: staff, but not admins. */ adminOnly: boolean };

/** The console speaks the staff member's preferred language (A16), else the request's. */
export function consoleLang(user: SessionUser | null, requestLang: Locale): Locale {
  return user && isLocale(user.locale) ? user.locale : requestLang;
}

export function consoleGate(user: SessionUser | null, requestLang: Locale, url: URL, { admin = false }: { admin?: boolean } = {}): ConsoleGate {
  if (!user) return { ok: false, status: 303, location: `/${requestLang}/login?next=${encodeURIComponent(url.pathname + url.search)}` };
  const lang = consoleLang(user, requestLang);
  if (!isAgent(user)) return { ok: false, status: 403, lang, adminOnly: false };
  if (admin && user.role !== 'admin') return { ok: false, status: 403, lang, adminOnly: true };
  return { ok: true, user, lang };
}
