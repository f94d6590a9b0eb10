// Answers are Markdown. Raw HTML is never rendered (html: false) and markdown-it refuses
// javascript:/vbscript:/data: links, so a stored answer cannot inject script.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

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

export function excerpt(text: string, max = 160): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > max * 0.6 ? space : max).trimEnd()}…`;
}
