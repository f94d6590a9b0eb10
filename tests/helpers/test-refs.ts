// Registries (KB truth, security checklist) name the tests that prove a claim by file and exact
// title; this checks that each named test exists, word for word, in the named file.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface TestRef {
  file: string;
  test: string;
}

const ROOT = resolve(import.meta.dirname, '../..');

/** The references whose test title is not found in its file, as `label: file › title`. */
export function missingTests(registry: Record<string, TestRef[]>): string[] {
  const missing: string[] = [];
  for (const [label, refs] of Object.entries(registry)) {
    if (refs.length === 0) missing.push(`${label}: no test named`);
    for (const { file, test: title } of refs) {
      const path = join(ROOT, file);
      const source = existsSync(path) ? readFileSync(path, 'utf8') : '';
      if (!source.includes(`'${title}'`) && !source.includes(`"${title}"`) && !source.includes(`\`${title}\``)) missing.push(`${label}: ${file} › ${title}`);
    }
  }
  return missing;
}

/** The test files the registries name, one constant each. */
export const AUTH = 'tests/integration/auth.test.ts';
export const CLAIMS = 'tests/integration/account-claims.test.ts';
export const RESET = 'tests/integration/password-reset.test.ts';
export const PASSWORD = 'tests/unit/password.test.ts';
export const SESSION = 'tests/unit/auth-session.test.ts';
export const VERIFY = 'tests/unit/email-verification.test.ts';
export const E2E = 'tests/e2e/accounts.test.ts';
export const SETTINGS = 'tests/integration/account-settings.test.ts';
export const DEVICE = 'tests/integration/new-device.test.ts';
export const EMAIL_CHANGE = 'tests/integration/email-change.test.ts';
export const API_KEYS = 'tests/integration/api-keys.test.ts';
export const API_KEYS_UNIT = 'tests/unit/api-keys.test.ts';
export const CHECKLIST = 'tests/integration/security-checklist.test.ts';
export const PASTE = 'tests/e2e/password-fields.test.ts';
export const STAFF = 'tests/unit/staff-actions.test.ts';
export const STATE = 'tests/integration/account-state.test.ts';
export const TWO_FACTOR = 'tests/integration/two-factor.test.ts';
export const TWO_FACTOR_UNIT = 'tests/unit/two-factor.test.ts';
export const MANDATORY = 'tests/integration/two-factor-mandatory.test.ts';
export const TWO_FACTOR_E2E = 'tests/e2e/two-factor.test.ts';
export const SUPPORT = 'tests/integration/support.test.ts';
export const UNUSUAL = 'tests/unit/unusual-activity.test.ts';
export const SECURITY_LOG = 'tests/integration/security-log.test.ts';
export const CUSTOMER_TICKETS = 'tests/integration/customer-tickets.test.ts';
export const FEEDBACK = 'tests/integration/feedback.test.ts';
