// SQLite errors reach us wrapped (drizzle's query error around LibsqlError): walk the causes.

/** True if the error, or one of its causes, is a SQLite constraint failure whose message matches. */
export function isConstraintError(error: unknown, message: RegExp = /constraint failed/i): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if ((String(e.code ?? '').startsWith('SQLITE_CONSTRAINT') || /constraint failed/i.test(String(e.message ?? ''))) && message.test(String(e.message ?? ''))) return true;
  }
  return false;
}

export const isUniqueViolation = (error: unknown) => isConstraintError(error, /UNIQUE|constraint failed/i);
