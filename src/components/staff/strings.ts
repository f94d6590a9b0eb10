// S1–S5: the console islands' strings, from the one i18n instance (N4).
import type { TFunction } from 'i18next';
import { locales } from '../../i18n/locales.ts';
import { ticketStatuses } from '../../../db/schema/index.ts';
import { queueViews } from '../../server/tickets/console.ts';
import type { QueueStrings } from '../../islands/staff/QueueLive.tsx';

const record = (keys: readonly string[], f: (k: string) => string) => Object.fromEntries(keys.map((k) => [k, f(k)]));

export const statusLabels = (tr: TFunction) => record(ticketStatuses, (s) => tr(`staff.status.${s}`));
export const languageLabels = (tr: TFunction) => record(locales, (l) => tr(`languages.${l}`));

export function queueStrings(tr: TFunction): QueueStrings {
  return {
    views: record(queueViews, (v) => tr(`staff.views.${v}`)),
    statuses: statusLabels(tr),
    languages: languageLabels(tr),
    columns: {
      number: tr('staff.queue.number'),
      subject: tr('staff.queue.subject'),
      customer: tr('staff.queue.customer'),
      status: tr('staff.queue.status'),
      language: tr('staff.queue.language'),
      assignee: tr('staff.queue.assignee'),
      updated: tr('staff.queue.updated'),
    },
    empty: tr('staff.queue.empty'),
    unassigned: tr('staff.queue.nobody'),
    unverified: tr('staff.unverifiedSender'),
    viewsLabel: tr('staff.queue.viewsLabel'),
    pageOf: tr('staff.queue.pageOf', { page: '{page}', pages: '{pages}' }),
    previous: tr('staff.queue.previous'),
    next: tr('staff.queue.next'),
    updated: tr('staff.queue.liveUpdated'),
  };
}
