// The security headers of every response (the middleware's last step; scripts/serve.ts's live
// fast path sends the same).
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
} as const;
export const DEFAULT_REFERRER_POLICY = 'strict-origin-when-cross-origin';
