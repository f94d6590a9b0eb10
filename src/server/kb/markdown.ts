// Answers are Markdown. E1 safe input, in two layers: raw HTML is never rendered (html: false), and
// an allow-list pass keeps only what Markdown itself produces — link and image targets that are
// http(s), mailto or relative (never javascript:, data:, vbscript:, file: or any other scheme, however
// encoded), and no attribute beyond the few Markdown needs. Preview and publish use this one renderer.
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);
/** Whitespace, controls and invisible characters that URL parsers or obfuscators skip over. */
const INVISIBLE = /[\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/g;

/**
 * E1: true for http(s), mailto and relative URLs (paths, `?query`, `#fragment`, `//host`). Judged
 * after percent-decoding and removing whitespace and controls, so `java%09script:` and
 * `javascript%3A…` count as javascript: — stricter than a browser, which would read them as paths.
 */
export function isSafeUrl(url: string): boolean {
  let plain = url;
  try {
    plain = decodeURIComponent(url);
  } catch {
    // a malformed escape: judge the text as it stands
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(plain.replace(INVISIBLE, '').toLowerCase())?.[1];
  return scheme === undefined || SAFE_SCHEMES.has(scheme);
}

// markdown-it asks this for every link, image, autolink, linkified URL and reference definition
// (after decoding entities and percent-encoding); a refused link keeps its text and gets no target.
md.validateLink = isSafeUrl;

/** The attributes Markdown's own tokens carry; anything else is dropped by the allow-list pass. */
const ALLOWED_ATTRIBUTES: Record<string, ReadonlySet<string>> = {
  a: new Set(['href', 'title']),
  img: new Set(['src', 'alt', 'title']),
  ol: new Set(['start']),
  th: new Set(['class']),
  td: new Set(['class']),
};
const NONE: ReadonlySet<string> = new Set();
const ALIGNMENT = /^text-align:(left|center|right)$/;

function allowListToken(token: Token): void {
  // html: false means no html tokens are ever made; if one were, it is shown as text, never as HTML.
  if (token.type === 'html_block' || token.type === 'html_inline') token.type = 'text';
  if (token.attrs) {
    // Table alignment is a style attribute in markdown-it; it becomes a class (no style attribute ever).
    const align = ALIGNMENT.exec(String(token.attrGet('style') ?? ''))?.[1];
    const allowed = ALLOWED_ATTRIBUTES[token.tag] ?? NONE;
    token.attrs = token.attrs.filter(([name, value]) => allowed.has(name) && ((name !== 'href' && name !== 'src') || isSafeUrl(String(value))));
    if (align) token.attrSet('class', `align-${align}`);
    if (token.attrs.length === 0) token.attrs = null;
  }
  token.children?.forEach(allowListToken);
}

// Defence in depth: the last core rule sees every token that will be rendered.
md.core.ruler.push('loket_allow_list', (state) => {
  state.tokens.forEach(allowListToken);
});

// Links leaving the help center open safely.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const href = String(token.attrGet('href') ?? '');
  if (/^https?:\/\//i.test(href)) token.attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** The answer as one line of plain text: for search, excerpts and meta descriptions. */
export function markdownToText(source: string): string {
  const parts: string[] = [];
  for (const block of md.parse(source, {})) {
    if (block.type !== 'inline' || !block.children) continue;
    parts.push(block.children.filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join(''));
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/** E1: the editor's live preview — the very renderer publish uses, so what is previewed is what goes live. */
export function renderPreview(markdown: string): { html: string; text: string } {
  return { html: renderMarkdown(markdown), text: markdownToText(markdown) };
}

export function excerpt(text: string, max = 160): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > max * 0.6 ? space : max).trimEnd()}…`;
}
