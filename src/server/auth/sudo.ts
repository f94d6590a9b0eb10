// A21: re-authentication ("sudo mode") — sensitive changes need a password (and code) confirmation
// within the last 15 minutes on this session.
export const REAUTH_WINDOW_MS = 15 * 60_000;

export function isRecentlyReauthenticated(session: { reauthenticatedAt: number | null }, now = Date.now()): boolean {
  return session.reauthenticatedAt !== null && now - session.reauthenticatedAt <= REAUTH_WINDOW_MS;
}
