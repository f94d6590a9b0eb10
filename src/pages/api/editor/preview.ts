// E1: the live preview of an answer — POST `{ "markdown": "…", "lang": "nl" }` → `{ "html": "…" }`,
// rendered by the same renderer as a publish (raw HTML and script URLs never survive it).
// Editors and admins only. N2: the body is read whole (up to a limit) before any answer, so a
// refused request leaves its connection usable; a body over the limit closes it.
import type { APIRoute } from 'astro';
import { t } from '../../../i18n/index.ts';
import { isLocale } from '../../../i18n/locales.ts';
import { isEditor } from '../../../server/editor/access.ts';
import { ANSWER_MAX_LENGTH } from '../../../server/editor/validate.ts';
import { CLOSE_CONNECTION, parseJson, readBodyWithin } from '../../../server/http/body.ts';
import { renderMarkdown } from '../../../server/kb/markdown.ts';
import { consoleLang } from '../../../server/tickets/console-access.ts';

/** Room for the longest answer even with every character \u-escaped, plus the envelope. */
const PREVIEW_BODY_MAX_BYTES = ANSWER_MAX_LENGTH * 6 + 1024;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers } });

export const POST: APIRoute = async ({ request, locals }) => {
  const tr = t(consoleLang(locals.user, locals.lang));
  const read = await readBodyWithin(request, PREVIEW_BODY_MAX_BYTES);
  const refuse = (status: number, error: string, message: string) => json(status, { error, message }, read.ok ? {} : CLOSE_CONNECTION);
  if (!locals.user) return refuse(401, 'sign-in-required', tr('editor.preview.errors.signIn'));
  if (!isEditor(locals.user)) return refuse(403, 'forbidden', tr('editor.preview.errors.forbidden'));
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return refuse(415, 'unsupported-media-type', tr('editor.preview.errors.json'));
  const tooLarge = () => refuse(413, 'too-large', tr('editor.preview.errors.tooLarge', { max: ANSWER_MAX_LENGTH.toLocaleString(consoleLang(locals.user, locals.lang)) }));
  if (!read.ok) return tooLarge();
  const body = parseJson(read.bytes);
  const input = body.ok && typeof body.value === 'object' && body.value !== null && !Array.isArray(body.value) ? (body.value as Record<string, unknown>) : null;
  if (!input || typeof input.markdown !== 'string' || !isLocale(input.lang)) return refuse(400, 'invalid', tr('editor.preview.errors.invalid'));
  if (input.markdown.length > ANSWER_MAX_LENGTH) return tooLarge();
  return json(200, { html: renderMarkdown(input.markdown) });
};

export const ALL: APIRoute = ({ locals }) =>
  new Response(t(locals.lang)('errors.methodNotAllowed'), {
    status: 405,
    headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
