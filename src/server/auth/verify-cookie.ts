/** A2: the pending email verification of this browser (an opaque token id; matches nothing for a known address). */
export const VERIFY_PENDING_COOKIE = 'loket_verify';
