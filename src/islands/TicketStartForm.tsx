// T1 / T2: the live-support box's start form. Server-rendered it is a plain POST form (works
// without JS); hydrated, it suggests matching knowledge-base entries while the customer types the
// subject and message, and records which suggestions were opened for this draft (deflection).
import type MiniSearch from 'minisearch';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SearchDoc } from '../lib/search.ts';
import { normalizeQuery, searchQueryOptions } from '../lib/search.ts';
import { loadSearchIndex } from '../lib/search-client.ts';
import type { StartFormProps } from '../lib/ticket-pages.ts';

const MAX_SUGGESTIONS = 4;
const TYPING_PAUSE_MS = 250;
function newDraftId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

export default function TicketStartForm(props: StartFormProps) {
  const { lang, action, values, errors, formError, areas, entry, indexUrl, deflectionUrl, strings } = props;
  const [subject, setSubject] = useState(values.subject);
  const [message, setMessage] = useState(values.message);
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState<MiniSearch<SearchDoc> | null>(null);
  const [draftId, setDraftId] = useState('');
  const opened = useRef(new Set<string>());

  useEffect(() => setDraftId(newDraftId()), []);
  // Search after a short pause in typing, over the subject and the start of the message.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(normalizeQuery(`${subject} ${message.slice(0, 300)}`)), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [subject, message]);
  useEffect(() => {
    if (!index && query.length >= 3) loadSearchIndex(indexUrl).then(setIndex, () => {});
  }, [query, index, indexUrl]);

  const suggestions = useMemo(() => {
    if (!index || query.length < 3) return [];
    return index
      .search(query, searchQueryOptions)
      .filter((r) => r.id !== entry?.slug)
      .slice(0, MAX_SUGGESTIONS)
      .map((r) => ({ slug: r.id as string, area: r.s as string, question: r.q as string }));
  }, [index, query, entry?.slug]);

  const onOpen = (slug: string) => {
    if (!draftId || opened.current.has(slug)) return;
    opened.current.add(slug);
    // T2: fire and forget; keepalive lets it finish even when the page changes.
    void fetch(deflectionUrl, {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ draft: draftId, entry: slug, lang }).toString(),
    }).catch(() => {});
  };

  const describedBy = (field: 'subject' | 'area' | 'message', hint?: string) =>
    [errors[field] ? `ticket-${field}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;

  return (
    <form class="ticket-start" method="post" action={action} noValidate>
      {formError && (
        <p class="form-error" role="alert">
          {formError}
        </p>
      )}
      {entry && (
        <p class="support-context">
          {strings.entryContext} <a href={entry.href}>{entry.question}</a>
          <input type="hidden" name="entry" value={entry.slug} />
        </p>
      )}
      <input type="hidden" name="draft" value={draftId} />
      <div class="field">
        <label for="ticket-subject">{strings.subject}</label>
        <input
          id="ticket-subject"
          name="subject"
          type="text"
          maxLength={200}
          autocomplete="off"
          required
          value={subject}
          onInput={(e) => setSubject(e.currentTarget.value)}
          aria-invalid={errors.subject ? 'true' : undefined}
          aria-describedby={describedBy('subject')}
        />
        {errors.subject && (
          <ul class="field-errors" id="ticket-subject-error">
            <li>{errors.subject}</li>
          </ul>
        )}
      </div>
      <div class="field">
        <label for="ticket-area">{strings.area}</label>
        <select id="ticket-area" name="area" required aria-invalid={errors.area ? 'true' : undefined} aria-describedby={describedBy('area')}>
          <option value="" selected={!values.area}>
            {strings.areaPlaceholder}
          </option>
          {areas.map((a) => (
            <option value={a.slug} selected={a.slug === values.area}>
              {a.title}
            </option>
          ))}
        </select>
        {errors.area && (
          <ul class="field-errors" id="ticket-area-error">
            <li>{errors.area}</li>
          </ul>
        )}
      </div>
      <div class="field">
        <label for="ticket-message">{strings.message}</label>
        <textarea
          id="ticket-message"
          name="message"
          rows={5}
          required
          maxLength={10_000}
          value={message}
          onInput={(e) => setMessage(e.currentTarget.value)}
          aria-invalid={errors.message ? 'true' : undefined}
          aria-describedby={describedBy('message', 'ticket-message-hint')}
        />
        <p class="hint" id="ticket-message-hint">
          {strings.messageHint}
        </p>
        {errors.message && (
          <ul class="field-errors" id="ticket-message-error">
            <li>{errors.message}</li>
          </ul>
        )}
      </div>
      <div class="ticket-suggestions" aria-live="polite">
        {suggestions.length > 0 && (
          <>
            <h3 id="ticket-suggestions-title">{strings.suggestionsTitle}</h3>
            <ul aria-labelledby="ticket-suggestions-title">
              {suggestions.map((s) => (
                <li key={s.slug}>
                  <a href={`/${lang}/${s.area}/${s.slug}`} target="_blank" rel="noopener" onClick={() => onOpen(s.slug)} onAuxClick={() => onOpen(s.slug)}>
                    {s.question}
                    <span class="visually-hidden"> ({strings.newTab})</span>
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <button class="button" type="submit">
        {strings.submit}
      </button>
    </form>
  );
}
