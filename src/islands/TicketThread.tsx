// T3 / T7: a customer's ticket, live. Server-rendered it is the conversation and a plain reply form
// (works without JS); hydrated, it follows the ticket's event stream from the position the page was
// rendered at (EventSource resumes with Last-Event-ID by itself; messages are deduplicated by id),
// shows new messages and status changes, "Support is typing…" and whether an agent is online.
// Messages are plain text with links (messageSegments), never HTML. New messages are announced (N3).
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime } from '../lib/dates.ts';
import { messageSegments } from '../lib/message-text.ts';

export interface ThreadMessage {
  id: number;
  authorKind: 'customer' | 'agent' | 'system';
  authorName: string;
  body: string;
  at: number;
}

interface Props {
  ticketId: string;
  status: string;
  messages: ThreadMessage[];
  /** The customer stream position the page was rendered at. */
  position: number;
  agentOnline: boolean;
  timeZone: string;
  region: string;
  replyAction: string;
  replyValue: string;
  replyError?: string;
  strings: Record<string, string>;
  statusLabels: Record<string, string>;
}

const TYPING_SHOWN_MS = 5_000;
const TYPING_PING_MS = 3_000;

function Body({ text }: { text: string }) {
  return (
    <>
      {messageSegments(text).map((s) =>
        s.type === 'link' ? (
          <a href={s.href} rel="noopener noreferrer nofollow ugc" target="_blank">
            {s.text}
          </a>
        ) : (
          s.text
        ),
      )}
    </>
  );
}

export default function TicketThread(props: Props) {
  const { ticketId, position, timeZone, region, replyAction, strings, statusLabels } = props;
  const [messages, setMessages] = useState(props.messages);
  const [status, setStatus] = useState(props.status);
  const [online, setOnline] = useState(props.agentOnline);
  const [typing, setTyping] = useState<string | null>(null);
  const [connected, setConnected] = useState(true);
  const [reply, setReply] = useState(props.replyValue);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>();
  const lastPing = useRef(0);

  useEffect(() => {
    const source = new EventSource(`/api/tickets/${ticketId}/events?lastEventId=${position}`);
    const add = (event: MessageEvent) => {
      const d = JSON.parse(event.data) as { messageId: number; authorKind: ThreadMessage['authorKind']; authorName: string | null; internal: boolean; body: string; status: string; at: number };
      if (d.internal) return; // never sent to a customer; checked again here
      setMessages((list) => (list.some((m) => m.id === d.messageId) ? list : [...list, { id: d.messageId, authorKind: d.authorKind, authorName: d.authorName ?? '', body: d.body, at: d.at }]));
      if (d.status) setStatus(d.status);
      if (d.authorKind === 'agent') setTyping(null);
    };
    const change = (event: MessageEvent) => {
      const d = JSON.parse(event.data) as { status?: string };
      if (d.status) setStatus(d.status);
    };
    source.addEventListener('message', add);
    source.addEventListener('created', add);
    source.addEventListener('status', change);
    source.addEventListener('rated', change);
    source.addEventListener('hello', (event) => {
      setConnected(true);
      const d = JSON.parse((event as MessageEvent).data) as { agentOnline?: boolean };
      if (typeof d.agentOnline === 'boolean') setOnline(d.agentOnline);
    });
    source.addEventListener('typing', (event) => {
      const d = JSON.parse((event as MessageEvent).data) as { who?: string; name?: string };
      if (d.who !== 'agent') return;
      setTyping(strings.typing!);
      clearTimeout(typingTimer.current);
      typingTimer.current = setTimeout(() => setTyping(null), TYPING_SHOWN_MS);
    });
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(source.readyState === EventSource.OPEN);
    return () => {
      source.close();
      clearTimeout(typingTimer.current);
    };
  }, [ticketId, position]);

  const onInput = () => {
    const now = Date.now();
    if (now - lastPing.current < TYPING_PING_MS) return;
    lastPing.current = now;
    void fetch(`/api/tickets/${ticketId}/typing`, { method: 'POST', credentials: 'same-origin' }).catch(() => {});
  };

  const author = (m: ThreadMessage) => (m.authorKind === 'customer' ? strings.you : m.authorKind === 'system' ? strings.system : m.authorName || strings.support);
  const closed = status === 'closed';
  // T4: resolved while the page was open — the rating form comes with the page, so offer a fresh one.
  const resolvedLive = (status === 'resolved' || closed) && props.status !== 'resolved' && props.status !== 'closed';

  return (
    <div class="ticket-thread">
      <p class="ticket-meta">
        {strings.statusLabel}: <span class={`status-badge status-${status}`}>{statusLabels[status] ?? status}</span>
      </p>
      <p class={online ? 'agent-status online' : 'agent-status'}>
        <span class="agent-dot" aria-hidden="true"></span>
        {online ? strings.agentOnline : strings.agentOffline}
      </p>
      <h2 id="conversation-title">{strings.conversation}</h2>
      <div role="log" aria-labelledby="conversation-title" class="conversation">
        <ol>
          {messages.map((m) => (
            <li key={m.id} class={`message from-${m.authorKind}`} data-message-id={m.id}>
              <p class="message-head">
                <strong>{author(m)}</strong> <time dateTime={new Date(m.at).toISOString()}>{formatDateTime(m.at, { timeZone, region })}</time>
              </p>
              <p class="message-body">
                <Body text={m.body} />
              </p>
            </li>
          ))}
        </ol>
      </div>
      <p class="typing-indicator" role="status">
        {typing ?? ''}
      </p>
      {!connected && <p class="notice">{strings.reconnecting}</p>}
      {resolvedLive && (
        <p class="notice">
          <a href={`${replyAction}?resolved=1#rating`}>{strings.rateNow}</a>
        </p>
      )}
      {closed ? (
        <p class="notice">{strings.closedNotice}</p>
      ) : (
        <form method="post" action={replyAction} noValidate class="ticket-reply">
          <input type="hidden" name="action" value="reply" />
          <div class="field">
            <label for="ticket-reply">{strings.reply}</label>
            <textarea
              id="ticket-reply"
              name="message"
              rows={4}
              required
              maxLength={10_000}
              value={reply}
              onInput={(e) => {
                setReply(e.currentTarget.value);
                onInput();
              }}
              aria-invalid={props.replyError ? 'true' : undefined}
              aria-describedby={props.replyError ? 'ticket-reply-error ticket-reply-hint' : 'ticket-reply-hint'}
            />
            <p class="hint" id="ticket-reply-hint">
              {strings.messageHint}
            </p>
            {props.replyError && (
              <ul class="field-errors" id="ticket-reply-error">
                <li>{props.replyError}</li>
              </ul>
            )}
          </div>
          <button class="button" type="submit">
            {strings.replySubmit}
          </button>
        </form>
      )}
    </div>
  );
}
