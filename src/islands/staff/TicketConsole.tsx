// S2: a ticket's conversation (internal notes marked) and the reply form, live. Rendered on the
// server, so reading and posting (a plain POST form) work without JavaScript. In the browser it
// follows the ticket's stream (new messages, status, assignment), shows the collision warning —
// other agents viewing (the stream's hello, then `viewing` / `left` moments each console sends)
// or typing — publishes this agent's typing (replies to staff and customer, notes to staff
// only), and inserts canned replies and knowledge-base links into the text without a reload.
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageSegments } from '../../lib/message-text.ts';

export interface ConsoleMessage {
  id: number;
  authorKind: string;
  authorName: string | null;
  internal: boolean;
  body: string;
  at: number;
}
export interface TicketConsoleStrings {
  conversation: string;
  internalNote: string;
  customer: string;
  agent: string;
  system: string;
  reply: string;
  note: string;
  sendAs: string;
  send: string;
  bodyLabel: string;
  bodyHint: string;
  viewing: string;
  typing: string;
  customerTyping: string;
  live: string;
  newMessage: string;
  canned: string;
  cannedNone: string;
  cannedInsert: string;
  kbLabel: string;
  kbSearch: string;
  kbInsert: string;
  kbNone: string;
  status: string;
  statuses: Record<string, string>;
  assignee: string;
  nobody: string;
}
interface KbHit {
  slug: string;
  question: string;
  url: string;
}
interface Props {
  ticketId: string;
  number: number;
  lastEventId: number;
  me: string;
  staffNames: Record<string, string>;
  initialViewers: string[];
  messages: ConsoleMessage[];
  status: string;
  assigneeId: string | null;
  timeZone: string;
  region: string;
  strings: TicketConsoleStrings;
  canned: Array<{ id: number; title: string; body: string }>;
  draft: string;
  mode: string;
  bodyError: string | null;
  maxLength: number;
  kbQuery: string;
  kbHits: KbHit[];
  kbLang: string;
}

const VIEWER_TTL_MS = 45_000;
const TYPING_TTL_MS = 6_000;
const TYPING_EVERY_MS = 2_500;

function formatTime(ms: number, timeZone: string, region: string): string {
  try {
    return new Intl.DateTimeFormat(region, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}

function activity(ticketId: string, kind: 'typing' | 'viewing' | 'left', internal = false) {
  return fetch(`/api/staff/tickets/${ticketId}/activity`, {
    method: 'POST',
    keepalive: kind === 'left',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind, internal }),
  }).catch(() => {});
}

export default function TicketConsole(props: Props) {
  const { ticketId, strings, me, staffNames } = props;
  const [messages, setMessages] = useState(props.messages);
  const [status, setStatus] = useState(props.status);
  const [assigneeId, setAssigneeId] = useState(props.assigneeId);
  const [viewers, setViewers] = useState<Record<string, number>>(() => Object.fromEntries(props.initialViewers.map((id) => [id, Date.now()])));
  const [typing, setTyping] = useState<Record<string, { name: string; until: number }>>({});
  const [announcement, setAnnouncement] = useState('');
  const [kbHits, setKbHits] = useState(props.kbHits);
  const [kbSearched, setKbSearched] = useState(props.kbQuery !== '');
  // S2: what the agent chose is state, not a prop: the console redraws every second (typing and
  // viewer expiry), and Preact sets a `checked` or `value` prop back onto the DOM on each redraw —
  // an "Internal note" choice would silently turn back into a reply to the customer.
  const [mode, setMode] = useState<'reply' | 'note'>(props.mode === 'note' ? 'note' : 'reply');
  const [kbQuery, setKbQuery] = useState(props.kbQuery);
  const [, tick] = useState(0);
  const body = useRef<HTMLTextAreaElement>(null);
  const kbInput = useRef<HTMLInputElement>(null);
  const cannedSelect = useRef<HTMLSelectElement>(null);
  const lastTyping = useRef(0);

  useEffect(() => {
    const source = new EventSource(`/api/tickets/${ticketId}/events?lastEventId=${props.lastEventId}`);
    const data = (e: Event) => JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
    source.addEventListener('hello', (e) => {
      const ids = (data(e).viewers as string[] | undefined) ?? [];
      setViewers(Object.fromEntries(ids.map((id) => [id, Date.now()])));
    });
    const onMessage = (e: Event) => {
      const d = data(e);
      const id = Number(d.messageId);
      setMessages((list) =>
        list.some((m) => m.id === id)
          ? list
          : [...list, { id, authorKind: String(d.authorKind), authorName: (d.authorName as string | null) ?? null, internal: d.internal === true, body: String(d.body ?? ''), at: Number(d.at) }],
      );
      if (typeof d.status === 'string') setStatus(d.status);
      if (d.authorKind === 'customer') setTyping((t) => ({ ...t, customer: { name: '', until: 0 } }));
      setAnnouncement(strings.newMessage);
    };
    source.addEventListener('message', onMessage);
    source.addEventListener('created', onMessage);
    const onChange = (e: Event) => {
      const d = data(e);
      if (typeof d.status === 'string') setStatus(d.status);
      if ('assigneeId' in d) setAssigneeId((d.assigneeId as string | null) ?? null);
    };
    source.addEventListener('status', onChange);
    source.addEventListener('assigned', onChange);
    source.addEventListener('viewing', (e) => {
      const d = data(e);
      const id = String(d.userId ?? '');
      if (id && id !== me) setViewers((v) => ({ ...v, [id]: Date.now() }));
    });
    source.addEventListener('left', (e) => {
      const id = String(data(e).userId ?? '');
      setViewers(({ [id]: _gone, ...rest }) => rest);
    });
    source.addEventListener('typing', (e) => {
      const d = data(e);
      if (d.who === 'agent' && d.userId === me) return;
      const key = d.who === 'agent' ? String(d.userId) : 'customer';
      setTyping((t) => ({ ...t, [key]: { name: String(d.name ?? ''), until: Date.now() + TYPING_TTL_MS } }));
    });
    // S2: tell the others this agent has the ticket open, now and while it stays open.
    void activity(ticketId, 'viewing');
    const beat = setInterval(() => void activity(ticketId, 'viewing'), 20_000);
    const clock = setInterval(() => tick((n) => n + 1), 1_000);
    const leave = () => void activity(ticketId, 'left');
    addEventListener('pagehide', leave);
    return () => {
      source.close();
      clearInterval(beat);
      clearInterval(clock);
      removeEventListener('pagehide', leave);
    };
  }, []);

  const now = Date.now();
  const viewerNames = Object.entries(viewers)
    .filter(([id, seen]) => id !== me && now - seen < VIEWER_TTL_MS)
    .map(([id]) => staffNames[id] ?? '?');
  const typists = Object.entries(typing)
    .filter(([, t]) => t.until > now)
    .map(([key, t]) => (key === 'customer' ? strings.customerTyping : strings.typing.replace('{name}', t.name || staffNames[key] || '?')));

  const onInput = (e: Event) => {
    const t = Date.now();
    if (t - lastTyping.current < TYPING_EVERY_MS || !(e.target as HTMLTextAreaElement).value.trim()) return;
    lastTyping.current = t;
    void activity(ticketId, 'typing', mode === 'note');
  };
  const insert = (text: string) => {
    const area = body.current;
    if (!area) return;
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? area.value.length;
    const before = area.value.slice(0, start);
    const spacer = before && !/\s$/.test(before) ? ' ' : '';
    area.value = `${before}${spacer}${text}${area.value.slice(end)}`;
    const at = start + spacer.length + text.length;
    area.focus();
    area.setSelectionRange(at, at);
  };
  const onCanned = (e: Event) => {
    e.preventDefault();
    const chosen = props.canned.find((c) => String(c.id) === cannedSelect.current?.value);
    if (chosen) insert(chosen.body);
  };
  const onKbSearch = async (e: Event) => {
    e.preventDefault();
    const q = kbInput.current?.value.trim() ?? '';
    if (!q) return;
    try {
      const res = await fetch(`/api/staff/kb-links?lang=${props.kbLang}&q=${encodeURIComponent(q)}`);
      if (res.ok) setKbHits(((await res.json()) as { hits: KbHit[] }).hits);
      setKbSearched(true);
    } catch {
      // Left as it was; the form still works as a plain GET.
    }
  };

  return (
    <div class="ticket-console">
      <div class="collision" role="status" aria-live="polite" data-collision>
        {viewerNames.length > 0 && <p class="notice" data-viewing>{strings.viewing.replace('{names}', viewerNames.join(', '))}</p>}
        {typists.map((text) => (
          <p class="notice" data-typing>{text}</p>
        ))}
      </div>
      <p class="ticket-status">
        {strings.status}: <strong data-status>{strings.statuses[status] ?? status}</strong> · {strings.assignee}:{' '}
        <strong data-live-assignee>{assigneeId ? (staffNames[assigneeId] ?? '?') : strings.nobody}</strong>
      </p>
      <h2 id="conversation-heading">{strings.conversation}</h2>
      <ol class="conversation" aria-labelledby="conversation-heading" data-conversation>
        {messages.map((m) => (
          <li class={`message ${m.authorKind}${m.internal ? ' internal' : ''}`} data-message={m.id} data-internal={m.internal ? 'true' : undefined}>
            <p class="message-meta">
              {m.internal && <strong class="badge internal-badge">{strings.internalNote}</strong>}{' '}
              <span>{m.authorName ?? (m.authorKind === 'customer' ? strings.customer : m.authorKind === 'agent' ? strings.agent : strings.system)}</span>{' '}
              <time dateTime={new Date(m.at).toISOString()}>{formatTime(m.at, props.timeZone, props.region)}</time>
            </p>
            <p class="message-body">
              {messageSegments(m.body).map((s) => (s.type === 'link' ? <a href={s.href} rel="noopener noreferrer nofollow" target="_blank">{s.text}</a> : s.text))}
            </p>
          </li>
        ))}
      </ol>
      <p class="visually-hidden" role="status" aria-live="polite">{announcement}</p>

      <form method="post" class="composer" id="composer">
        <div class="field">
          <label for="reply-body">{strings.bodyLabel}</label>
          <textarea
            id="reply-body"
            name="body"
            ref={body}
            required
            maxLength={props.maxLength}
            aria-describedby={props.bodyError ? 'reply-body-hint reply-body-error' : 'reply-body-hint'}
            aria-invalid={props.bodyError ? 'true' : undefined}
            onInput={onInput}
          >
            {props.draft}
          </textarea>
          <p class="hint muted" id="reply-body-hint">{strings.bodyHint}</p>
          {props.bodyError && (
            <ul class="field-errors" id="reply-body-error">
              <li>{props.bodyError}</li>
            </ul>
          )}
        </div>
        <fieldset class="mode">
          <legend>{strings.sendAs}</legend>
          <label>
            <input type="radio" name="mode" value="reply" checked={mode === 'reply'} onChange={() => setMode('reply')} /> {strings.reply}
          </label>
          <label>
            <input type="radio" name="mode" value="note" checked={mode === 'note'} onChange={() => setMode('note')} /> {strings.note}
          </label>
        </fieldset>
        <button class="button" type="submit" name="action" value="message">{strings.send}</button>
      </form>

      <div class="reply-tools">
        <form method="get" class="inline-form" onSubmit={onCanned}>
          <div class="field">
            <label for="canned-select">{strings.canned}</label>
            {props.canned.length === 0 ? (
              <p class="muted" id="canned-select">{strings.cannedNone}</p>
            ) : (
              <select id="canned-select" name="canned" ref={cannedSelect}>
                {props.canned.map((c) => <option value={String(c.id)}>{c.title}</option>)}
              </select>
            )}
          </div>
          {props.canned.length > 0 && <button class="button secondary" type="submit">{strings.cannedInsert}</button>}
        </form>
        <form method="get" class="inline-form" onSubmit={onKbSearch}>
          <div class="field">
            <label for="kb-query">{strings.kbLabel}</label>
            <input id="kb-query" name="kbq" type="search" ref={kbInput} value={kbQuery} onInput={(e) => setKbQuery((e.currentTarget as HTMLInputElement).value)} maxLength={200} />
          </div>
          <button class="button secondary" type="submit">{strings.kbSearch}</button>
        </form>
        {kbSearched && kbHits.length === 0 && <p class="muted">{strings.kbNone}</p>}
        {kbHits.length > 0 && (
          <ul class="kb-hits" data-kb-hits>
            {kbHits.map((h) => (
              <li>
                <span>{h.question}</span> <code>{h.url}</code>{' '}
                <a
                  class="button secondary"
                  href={`?insert=${encodeURIComponent(h.slug)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    insert(h.url);
                  }}
                >
                  {strings.kbInsert}
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
