// E1 / A9: who may open the editor workspace. Signed out → sign-in (and back here after);
// customers and agents → 403 (agents answer tickets, editors keep the knowledge base);
// editors and admins in. Staff always have 2FA: the middleware sends them to enrol first.
import type { Role } from '../../../db/schema/index.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Locale } from '../../i18n/locales.ts';
import { consoleLang } from '../tickets/console-access.ts';

export const EDITOR_ROLES: readonly Role[] = ['editor', 'admin'];

export function isEditor(user: { role: Role } | null | undefined): boolean {
  return !!user && EDITOR_ROLES.includes(user.role);
}

export type EditorGate = { ok: true; user: SessionUser; lang: Locale } | { ok: false; status: 303; location: string } | { ok: false; status: 403; lang: Locale };

/** The workspace speaks the editor's preferred language (A16), else the request's. */
export function editorGate(user: SessionUser | null, requestLang: Locale, url: URL): EditorGate {
  if (!user) return { ok: false, status: 303, location: `/${requestLang}/login?next=${encodeURIComponent(url.pathname + url.search)}` };
  const lang = consoleLang(user, requestLang);
  if (!isEditor(user)) return { ok: false, status: 403, lang };
  return { ok: true, user, lang };
}
