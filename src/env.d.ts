/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** K1: the page's locale (from the URL; for locale-less URLs from Accept-Language). */
    lang: import('./i18n/locales.ts').Locale;
    /** The signed-in user (null when signed out or the second factor is still pending). */
    user: import('./server/auth/session.ts').SessionUser | null;
    session: import('./server/auth/session.ts').Session | null;
    /** A4: a session whose password step passed but whose 2FA code is still due (login page only). */
    pendingSession: import('./server/auth/session.ts').Session | null;
    /** Whether cookies must be Secure / __Host- (PUBLIC_ORIGIN is https). */
    secure: boolean;
  }
}
