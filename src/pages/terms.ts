import { redirectToLocalized } from '../lib/bare-redirect.ts';

export const GET = redirectToLocalized('terms');
