// T7: messages are plain text; only links become links. Splits a message into text and link
// segments that a page (Astro) or an island (Preact) renders as text nodes and <a> elements —
// never as HTML, so nothing a user writes can become markup. Only http(s) URLs are linked.
export type MessageSegment = { type: 'text'; text: string } | { type: 'link'; text: string; href: string };

// A URL runs to the next whitespace or angle bracket; trailing punctuation belongs to the sentence.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?'")\]}]+$/;

export function messageSegments(text: string): MessageSegment[] {
  const out: MessageSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const trail = TRAILING.exec(url)?.[0] ?? '';
    // Keep a closing parenthesis that closes one opened inside the URL (Wikipedia-style links).
    const keep = trail.startsWith(')') && (url.match(/\(/g)?.length ?? 0) > (url.slice(0, -trail.length).match(/\)/g)?.length ?? 0) ? 1 : 0;
    url = url.slice(0, url.length - trail.length + keep);
    const start = match.index!;
    let href: string;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') continue;
      href = parsed.href;
    } catch {
      continue;
    }
    if (start > last) out.push({ type: 'text', text: text.slice(last, start) });
    out.push({ type: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}
