// K3: the closed tag vocabulary. Ids are shared by all languages; labels live in src/i18n (tags.*).
export const tagIds = [
  'account',
  'password',
  'security',
  'sessions',
  'login',
  'verification',
  'recovery',
  '2fa',
  'email',
  'privacy',
  'profile',
  'api',
  'tickets',
  'live-chat',
  'feedback',
  'search',
  'language',
  'getting-started',
] as const;
export type TagId = (typeof tagIds)[number];

export function isTagId(value: unknown): value is TagId {
  return typeof value === 'string' && (tagIds as readonly string[]).includes(value);
}
