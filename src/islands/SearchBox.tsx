// K5: instant, as-you-type search over the page language's index, keyboard navigable
// (combobox + listbox), matches highlighted. Without JavaScript the same markup is a plain
// GET form to /{lang}/search, which renders the same results on the server.
import type MiniSearch from 'minisearch';
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import type { SearchDoc } from '../lib/search.ts';
import { highlight, normalizeQuery, searchQueryOptions } from '../lib/search.ts';
import { loadSearchIndex } from '../lib/search-client.ts';

interface Strings {
  label: string;
  placeholder: string;
  submit: string;
  noResults: string;
  resultOne: string;
  resultMany: string;
  keyboardHint: string;
  loading: string;
  loadError: string;
  showAll: string;
  inLanguage: Record<string, string>;
}
interface Props {
  lang: string;
  action: string;
  indexUrl: string;
  initialQuery: string;
  maxLength: number;
  minLength: number;
  strings: Strings;
}
interface Hit {
  id: string;
  s: string;
  q: string;
  x: string;
  l: string;
  terms: string[];
}

const MAX_SUGGESTIONS = 8;
function Marked({ text, terms }: { text: string; terms: string[] }) {
  return <>{highlight(text, terms).map((part) => (part.mark ? <mark>{part.text}</mark> : part.text))}</>;
}

export default function SearchBox({ lang, action, indexUrl, initialQuery, maxLength, minLength, strings }: Props) {
  const id = useId();
  const listId = `${id}-results`;
  const [query, setQuery] = useState(initialQuery);
  const [index, setIndex] = useState<MiniSearch<SearchDoc> | null>(null);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);

  // E3: also on a later use, so a page left open picks up what was published since (search-client.ts).
  const ensureIndex = () => {
    if (failed) return;
    loadSearchIndex(indexUrl).then(setIndex, () => setFailed(true));
  };

  const q = normalizeQuery(query);
  const hits: Hit[] = useMemo(() => {
    if (!index || q.length < minLength) return [];
    return index
      .search(q, searchQueryOptions)
      .slice(0, MAX_SUGGESTIONS)
      .map((r) => ({ id: r.id as string, s: r.s, q: r.q, x: r.x, l: r.l, terms: r.terms }));
  }, [index, q, minLength]);

  useEffect(() => setActive(-1), [q]);

  const showAllIndex = hits.length; // the "show all results" row comes after the hits
  const optionCount = hits.length > 0 ? hits.length + 1 : 0;
  const expanded = open && q.length >= minLength && (index !== null || failed);
  const hrefOf = (hit: Hit) => `/${lang}/${hit.s}/${hit.id}`;
  const allHref = `${action}?q=${encodeURIComponent(q)}`;

  const go = (href: string) => {
    window.location.assign(href);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!optionCount) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => {
        const next = current + step;
        return next >= optionCount ? 0 : next < 0 ? optionCount - 1 : next;
      });
    } else if (event.key === 'Enter') {
      if (expanded && active >= 0 && active < optionCount) {
        event.preventDefault();
        go(active < hits.length ? hrefOf(hits[active]!) : allHref);
      }
      // otherwise the form submits to the server-rendered results page
    } else if (event.key === 'Escape') {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    }
  };

  const count = hits.length;
  const status = !expanded
    ? ''
    : failed
      ? strings.loadError
      : count === 0
        ? strings.noResults.replace('{query}', q)
        : `${count === 1 ? strings.resultOne : strings.resultMany.replace('{count}', String(count))}. ${strings.keyboardHint}`;

  return (
    <form class="search" role="search" action={action} method="get" onSubmit={(e) => !q && e.preventDefault()}>
      <label class="visually-hidden" for={`${id}-q`}>
        {strings.label}
      </label>
      <div class="search-row">
        <input
          ref={input}
          id={`${id}-q`}
          type="search"
          name="q"
          value={query}
          maxLength={maxLength}
          placeholder={strings.placeholder}
          autocomplete="off"
          spellcheck={false}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded && optionCount > 0}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
          aria-describedby={`${id}-status`}
          onFocus={() => {
            ensureIndex();
            setOpen(true);
          }}
          onInput={(e) => {
            ensureIndex();
            setQuery((e.currentTarget as HTMLInputElement).value);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
        />
        <button class="button" type="submit">
          {strings.submit}
        </button>
      </div>
      <ul id={listId} role="listbox" aria-label={strings.label} class="search-results" hidden={!(expanded && optionCount > 0)}>
        {hits.map((hit, i) => (
          <li
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            data-href={hrefOf(hit)}
            onMouseDown={(e) => {
              e.preventDefault();
              go(hrefOf(hit));
            }}
          >
            <span class="q">
              <Marked text={hit.q} terms={hit.terms} />
            </span>
            <span class="x">
              <Marked text={hit.x} terms={hit.terms} />
            </span>
            {hit.l && (
              <span class="lang-note" lang={hit.l}>
                {strings.inLanguage[hit.l]}
              </span>
            )}
          </li>
        ))}
        {hits.length > 0 && (
          <li
            id={`${id}-opt-${showAllIndex}`}
            role="option"
            aria-selected={active === showAllIndex}
            onMouseDown={(e) => {
              e.preventDefault();
              go(allHref);
            }}
          >
            <span class="all">{strings.showAll}</span>
          </li>
        )}
      </ul>
      <div id={`${id}-status`} class="visually-hidden" role="status" aria-live="polite">
        {status}
      </div>
    </form>
  );
}
