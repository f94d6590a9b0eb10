// A16: one date formatter; every date and time in the user's time zone and region format.
export function formatDateTime(ms: number, { timeZone, region }: { timeZone: string; region: string }): string {
  try {
    return new Intl.DateTimeFormat(region, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(ms);
  } catch {
    return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(ms);
  }
}
