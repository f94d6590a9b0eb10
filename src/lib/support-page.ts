// T6: what /{lang}/support and /{lang}/contact share — read the request, call the tickets module,
// and hand the form its values and localized errors (N2). The pages only render the result.
import type { AstroGlobal } from 'astro';
import { t } from '../i18n/index.ts';
import type { Locale } from '../i18n/locales.ts';
import { publicOrigin } from '../server/config.ts';
import { getDb } from '../server/db/client.ts';
import { requestMeta } from '../server/http/request-meta.ts';
import { getKb } from '../server/kb/snapshot.ts';
import { formTopics, isFormTopic, submitSupportRequest, type SupportField, type SupportRequestErrors } from '../server/tickets/support-request.ts';
import { MESSAGE_MAX_LENGTH } from '../server/tickets/tickets.ts';
import { readForm } from './forms.ts';
import { personalPage } from './page-headers.ts';
import { isSlug } from './slug.ts';
import { entryUrl } from './urls.ts';

export interface SupportFormState {
  values: Record<SupportField, string>;
  errors: Partial<Record<SupportField, string[]>>;
  /** A problem that belongs to no visible field (rate limit, an unknown context entry). */
  formError?: string;
  sent?: { ticketNumber: number; verified: boolean };
  /** K6: the entry the visitor came from, shown as the request's context. */
  entry?: { slug: string; question: string; href: string };
  topics: { value: string; label: string }[];
}

export async function supportFormState(Astro: AstroGlobal, lang: Locale): Promise<SupportFormState> {
  const tr = t(lang);
  personalPage(Astro.response.headers);
  const db = await getDb();
  const kb = await getKb(db);
  const user = Astro.locals.user;
  const query = Astro.url.searchParams;
  const values: Record<SupportField, string> = { email: '', name: '', topic: '', subject: '', message: '', entry: query.get('entry') ?? '' };
  // ?topic= preselects (the 2FA and suspension pages link lost-access, manual-verification, suspension-appeal).
  const preset = query.get('topic');
  values.topic = isFormTopic(preset) ? preset : values.entry ? 'other' : '';
  const state: SupportFormState = { values, errors: {}, topics: formTopics.map((value) => ({ value, label: tr(`contact.topics.${value}`) })) };

  if (Astro.request.method === 'POST') {
    // T7: read more than the longest allowed message, so an over-long one is refused, not cut.
    const form = await readForm(Astro.request, MESSAGE_MAX_LENGTH * 2);
    for (const field of Object.keys(values) as SupportField[]) values[field] = form[field] ?? '';
    const result = await submitSupportRequest(db, form, {
      user,
      locale: lang,
      meta: { ...requestMeta(Astro.request, Astro.clientAddress), origin: publicOrigin(Astro.url) },
      entryExists: (slug) => kb.entry(slug) !== undefined,
    });
    if (result.ok) {
      state.sent = { ticketNumber: result.ticketNumber, verified: result.verified };
    } else if (result.reason === 'rate-limited') {
      Astro.response.status = 429;
      Astro.response.headers.set('Retry-After', String(result.retryAfter));
      state.formError = tr('errors.rateLimited', { minutes: Math.ceil(result.retryAfter / 60) });
    } else {
      Astro.response.status = 400;
      state.errors = localizedErrors(result.errors, lang);
      state.formError = result.errors.entry ? tr('contact.errors.entryUnknown') : tr('contact.errors.fix');
      if (result.errors.entry) values.entry = '';
    }
  }
  const entry = isSlug(values.entry) ? kb.entry(values.entry) : undefined;
  const text = entry && kb.localizeEntry(entry, lang);
  if (entry && text) state.entry = { slug: entry.slug, question: text.question, href: entryUrl(lang, entry.area.slug, entry.slug) };
  else values.entry = '';
  return state;
}

function localizedErrors(errors: SupportRequestErrors, lang: Locale): Partial<Record<SupportField, string[]>> {
  const tr = t(lang);
  const out: Partial<Record<SupportField, string[]>> = {};
  for (const [field, problem] of Object.entries(errors) as [SupportField, string][]) {
    if (field === 'entry') continue;
    const text =
      problem === 'required'
        ? field === 'topic'
          ? tr('contact.errors.topicRequired')
          : tr('errors.required')
        : problem === 'too-long'
          ? tr(`contact.errors.${field}TooLong`)
          : field === 'email'
            ? tr('errors.emailInvalid')
            : tr('contact.errors.topicInvalid');
    out[field] = [text];
  }
  return out;
}
