// A16: the profile — display name, time zone, region format and preferred language (emails use
// it). The username is fixed after sign-up: nothing here writes it (support changes it).
// N2: any bad field refuses the whole change; nothing is written.
import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema/index.ts';
import { isLocale, locales, type Locale } from '../../i18n/locales.ts';
import { recordEvent, type RequestMeta } from '../audit/events.ts';
import type { Db } from '../db/client.ts';
import { NAME_MAX_LENGTH } from './registration.ts';

export { NAME_MAX_LENGTH };

/** Region formats offered (BCP 47 language-region tags); only those this runtime can format are kept. */
const REGION_CANDIDATES = [
  'nl-NL', 'nl-BE',
  'en-GB', 'en-IE', 'en-US', 'en-CA', 'en-AU', 'en-NZ', 'en-IN', 'en-ZA',
  'fr-FR', 'fr-BE', 'fr-CH', 'fr-LU', 'fr-CA',
  'de-DE', 'de-AT', 'de-CH', 'de-BE', 'de-LU',
  'es-ES', 'es-MX', 'it-IT', 'it-CH', 'pt-PT', 'pt-BR',
  'da-DK', 'sv-SE', 'nb-NO', 'fi-FI', 'is-IS',
  'pl-PL', 'cs-CZ', 'sk-SK', 'hu-HU', 'ro-RO', 'bg-BG', 'el-GR', 'hr-HR', 'sl-SI',
  'et-EE', 'lv-LV', 'lt-LT', 'uk-UA', 'tr-TR',
  'ar-MA', 'ja-JP', 'zh-CN', 'ko-KR',
] as const;

export const REGION_LOCALES: readonly string[] = Object.freeze(
  REGION_CANDIDATES.filter((tag) => Intl.DateTimeFormat.supportedLocalesOf([tag])[0] === tag),
);

let zones: ReadonlySet<string> | undefined;
const zoneSet = () => (zones ??= new Set(Intl.supportedValuesOf('timeZone')));

/** Every IANA time zone this runtime knows (Intl.supportedValuesOf), in its order. */
export function timeZones(): readonly string[] {
  return [...zoneSet()];
}

function formatsTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * A time zone from the list. The value already stored is accepted too when the runtime can format
 * with it (an alias such as "UTC" set before), so saving only a new name never fails on it.
 */
export function isValidTimeZone(value: unknown, current?: string): value is string {
  if (typeof value !== 'string' || value.length > 64) return false;
  return zoneSet().has(value) || (value === current && formatsTimeZone(value));
}

/** A region format from the offered list that Intl can format with (the stored value is kept, as above). */
export function isValidRegion(value: unknown, current?: string): value is string {
  if (typeof value !== 'string' || value.length > 35) return false;
  if (!REGION_LOCALES.includes(value) && value !== current) return false;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([value])[0] === value;
  } catch {
    return false; // not a well-formed language tag
  }
}

export interface Profile {
  name: string;
  timeZone: string;
  region: string;
  locale: Locale;
}

export interface ProfileInput {
  name: unknown;
  timeZone: unknown;
  region: unknown;
  locale: unknown;
}

export type ProfileErrors = Partial<{
  name: 'required' | 'too-long' | 'invalid';
  timeZone: 'invalid';
  region: 'invalid';
  locale: 'invalid';
}>;

export type ProfileResult = { ok: true; profile: Profile; changed: Array<keyof Profile> } | { ok: false; reason: 'invalid'; errors: ProfileErrors } | { ok: false; reason: 'not-found' };

/** Trimmed, inner whitespace collapsed (as at registration); 1–100 characters, no control characters. */
export function normalizeName(value: unknown): string {
  return typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : '';
}

export function validateProfile(input: ProfileInput, current?: Pick<Profile, 'timeZone' | 'region'>): { errors: ProfileErrors; profile: Profile } {
  const errors: ProfileErrors = {};
  const name = normalizeName(input.name);
  if (!name) errors.name = 'required';
  else if ([...name].length > NAME_MAX_LENGTH) errors.name = 'too-long';
  else if (/[\p{Cc}\p{Cs}\u2028\u2029]/u.test(name)) errors.name = 'invalid';
  if (!isValidTimeZone(input.timeZone, current?.timeZone)) errors.timeZone = 'invalid';
  if (!isValidRegion(input.region, current?.region)) errors.region = 'invalid';
  if (!isLocale(input.locale)) errors.locale = 'invalid';
  const profile: Profile = {
    name,
    timeZone: typeof input.timeZone === 'string' ? input.timeZone : '',
    region: typeof input.region === 'string' ? input.region : '',
    locale: isLocale(input.locale) ? input.locale : locales[0],
  };
  return { errors, profile };
}

/** A16: saves the profile of a signed-in user. Only these four columns are ever written. */
export async function updateProfile(db: Db, userId: string, input: ProfileInput, meta: RequestMeta, now = Date.now()): Promise<ProfileResult> {
  const row = (
    await db.select({ name: users.name, timeZone: users.timeZone, region: users.region, locale: users.locale }).from(users).where(eq(users.id, userId)).limit(1)
  )[0];
  if (!row) return { ok: false, reason: 'not-found' };
  const { errors, profile } = validateProfile(input, row);
  if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
  const changed = (Object.keys(profile) as Array<keyof Profile>).filter((key) => profile[key] !== row[key]);
  if (changed.length) {
    await db.update(users).set({ ...profile, updatedAt: now }).where(eq(users.id, userId));
    // Which fields changed, not their values: the name is personal data.
    await recordEvent(db, { type: 'profile.updated', userId, ...meta, detail: { changed } });
  }
  return { ok: true, profile, changed };
}
