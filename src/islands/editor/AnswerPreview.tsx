// E1: the live preview under an answer's textarea. Rendered on the server with the saved (or just
// posted) text, so it works without JavaScript; in the browser it follows the textarea (by id) and,
// 250 ms after the last keystroke, asks /api/editor/preview for the HTML the publish would make.
// The region is labelled, not live: screen readers visit it when they want; a checkbox makes it
// announce updates for those who ask.
import { useEffect, useState } from 'preact/hooks';

export interface PreviewStrings {
  heading: string;
  empty: string;
  announce: string;
  failed: string;
  tooLong: string;
}
interface Props {
  textareaId: string;
  /** The answer's language: the preview region is marked with it. */
  lang: string;
  initialHtml: string;
  strings: PreviewStrings;
  /** The heading level that fits the page's outline. */
  level?: 2 | 3;
}

const DEBOUNCE_MS = 250;

export default function AnswerPreview({ textareaId, lang, initialHtml, strings, level = 3 }: Props) {
  const [html, setHtml] = useState(initialHtml);
  const [problem, setProblem] = useState<string | null>(null);
  const [hydrated, setHydrated] = useState(false);
  const [announce, setAnnounce] = useState(false);

  useEffect(() => {
    setHydrated(true);
    const area = document.getElementById(textareaId) as HTMLTextAreaElement | null;
    if (!area) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: AbortController | undefined;
    const refresh = async () => {
      pending?.abort();
      const controller = (pending = new AbortController());
      try {
        const res = await fetch('/api/editor/preview', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ markdown: area.value, lang }),
          signal: controller.signal,
        });
        if (!res.ok) return setProblem(res.status === 413 ? strings.tooLong : strings.failed);
        const data = (await res.json()) as { html?: unknown };
        if (typeof data.html !== 'string') return setProblem(strings.failed);
        setHtml(data.html);
        setProblem(null);
      } catch (error) {
        if ((error as Error).name !== 'AbortError') setProblem(strings.failed);
      }
    };
    const onInput = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, DEBOUNCE_MS);
    };
    area.addEventListener('input', onInput);
    return () => {
      area.removeEventListener('input', onInput);
      clearTimeout(timer);
      pending?.abort();
    };
  }, [textareaId, lang]);

  const headingId = `${textareaId}-preview`;
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section class="answer-preview" aria-labelledby={headingId} data-preview={textareaId}>
      <Heading id={headingId}>{strings.heading}</Heading>
      {hydrated && (
        <label class="choice announce">
          <input type="checkbox" checked={announce} onChange={(e) => setAnnounce((e.currentTarget as HTMLInputElement).checked)} />
          {strings.announce}
        </label>
      )}
      {problem && <p class="field-errors">{problem}</p>}
      <div class="preview-body" lang={lang} aria-live={announce ? 'polite' : 'off'}>
        {html ? <div dangerouslySetInnerHTML={{ __html: html }} /> : <p class="muted">{strings.empty}</p>}
      </div>
    </section>
  );
}
