// S1: the queue's views with their counts and the list of tickets. Rendered on the server (works
// without JavaScript); in the browser it follows /api/staff/events and reloads the list and counts
// from /api/staff/queue (same filters) on every change — a new ticket appears without a reload.
import { useEffect, useRef, useState } from 'preact/hooks';

export interface QueueRowView {
  number: number;
  subject: string;
  status: string;
  locale: string;
  areaSlug: string | null;
  senderEmail: string;
  senderName: string;
  unverifiedSender: boolean;
  assigneeName: string | null;
  updatedAt: number;
}
export interface QueueData {
  rows: QueueRowView[];
  counts: Record<string, number>;
  total: number;
  page: number;
  pages: number;
}
export interface QueueStrings {
  views: Record<string, string>;
  statuses: Record<string, string>;
  languages: Record<string, string>;
  columns: { number: string; subject: string; customer: string; status: string; language: string; assignee: string; updated: string };
  empty: string;
  unassigned: string;
  unverified: string;
  viewsLabel: string;
  pageOf: string;
  previous: string;
  next: string;
  updated: string;
}
interface Props {
  initial: QueueData;
  view: string;
  /** The filters' query string without view and page (`area=…&lang=…`), kept by every link. */
  baseQuery: string;
  lastEventId: number;
  timeZone: string;
  region: string;
  strings: QueueStrings;
}

const VIEWS = ['unassigned', 'mine', 'open', 'pending', 'resolved'];

function href(view: string, baseQuery: string, page = 1): string {
  const p = new URLSearchParams(baseQuery);
  if (view !== 'unassigned') p.set('view', view);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return `/staff${s ? `?${s}` : ''}`;
}

function formatTime(ms: number, timeZone: string, region: string): string {
  try {
    return new Intl.DateTimeFormat(region, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}

export default function QueueLive({ initial, view, baseQuery, lastEventId, timeZone, region, strings }: Props) {
  const [data, setData] = useState(initial);
  const [announcement, setAnnouncement] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const source = new EventSource(`/api/staff/events?lastEventId=${lastEventId}`);
    const refresh = async () => {
      const p = new URLSearchParams(baseQuery);
      p.set('view', view);
      p.set('page', String(data.page));
      try {
        const res = await fetch(`/api/staff/queue?${p}`, { headers: { Accept: 'application/json' } });
        if (!res.ok) return;
        setData((await res.json()) as QueueData);
        setAnnouncement(strings.updated);
      } catch {
        // The next event retries.
      }
    };
    const onEvent = () => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void refresh(), 150);
    };
    for (const type of ['created', 'message', 'status', 'assigned', 'rated']) source.addEventListener(type, onEvent);
    return () => {
      clearTimeout(timer.current);
      source.close();
    };
  }, []);

  return (
    <div class="queue" data-queue-live>
      <nav aria-label={strings.viewsLabel}>
        <ul class="queue-views">
          {VIEWS.map((v) => (
            <li>
              <a href={href(v, baseQuery)} aria-current={v === view ? 'page' : undefined} data-view={v}>
                {strings.views[v]} <span class="count" data-count={v}>{data.counts[v] ?? 0}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p class="visually-hidden" role="status" aria-live="polite">{announcement}</p>
      {data.rows.length === 0 ? (
        <p class="queue-empty">{strings.empty}</p>
      ) : (
        <div class="table-scroll">
          <table class="queue-table">
            <thead>
              <tr>
                <th scope="col">{strings.columns.number}</th>
                <th scope="col">{strings.columns.subject}</th>
                <th scope="col">{strings.columns.customer}</th>
                <th scope="col">{strings.columns.status}</th>
                <th scope="col">{strings.columns.language}</th>
                <th scope="col">{strings.columns.assignee}</th>
                <th scope="col">{strings.columns.updated}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr data-ticket={r.number}>
                  <td>
                    <a href={`/staff/tickets/${r.number}`}>#{r.number}</a>
                  </td>
                  <td>
                    <a href={`/staff/tickets/${r.number}`}>{r.subject}</a>
                  </td>
                  <td>
                    {r.senderName ? `${r.senderName} ` : ''}
                    <span class="muted">{r.senderEmail}</span>
                    {r.unverifiedSender && <span class="badge">{strings.unverified}</span>}
                  </td>
                  <td>{strings.statuses[r.status] ?? r.status}</td>
                  <td>{strings.languages[r.locale] ?? r.locale}</td>
                  <td>{r.assigneeName ?? strings.unassigned}</td>
                  <td>{formatTime(r.updatedAt, timeZone, region)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.pages > 1 && (
        <nav class="pager" aria-label={strings.pageOf.replace('{page}', String(data.page)).replace('{pages}', String(data.pages))}>
          {data.page > 1 && <a href={href(view, baseQuery, data.page - 1)} rel="prev">{strings.previous}</a>}
          <span>{strings.pageOf.replace('{page}', String(data.page)).replace('{pages}', String(data.pages))}</span>
          {data.page < data.pages && <a href={href(view, baseQuery, data.page + 1)} rel="next">{strings.next}</a>}
        </nav>
      )}
    </div>
  );
}
