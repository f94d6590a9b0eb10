// E1 "safe input": an answer is Markdown, and whatever an editor (or a pasted ticket, E5) puts in
// it, the rendered HTML is inert. Each payload is rendered and the output parsed with a real HTML
// parser (parse5, the WHATWG algorithm browsers use) inside a page body, then checked element by
// element and attribute by attribute.
import MarkdownIt from 'markdown-it';
import { parse } from 'parse5';
import type { DefaultTreeAdapterTypes } from 'parse5';
import { beforeAll, describe, expect, test } from 'vitest';
import { readContent, type EntryFile } from '../../src/server/kb/content-files.ts';
import { isSafeUrl, markdownToText, renderMarkdown, renderPreview } from '../../src/server/kb/markdown.ts';
import { CONTENT_ROOT } from '../helpers/kb.ts';

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.ChildNode;

const TAB = '\t';
const NUL = '\u0000';
const SOH = '\u0001';
const LS = '\u2028';
const PS = '\u2029';
const ZWSP = '\u200b';

/** At least 40 real payloads, by family. Markdown, inline HTML, and both mixed. */
const PAYLOADS: Array<[name: string, markdown: string]> = [
  // Raw HTML: never rendered (html: false)
  ['script element', '<script>alert(1)</script>'],
  ['script with src, upper case', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['svg onload', '<svg onload=alert(1)>'],
  ['svg with a script inside', '<svg><script>alert(1)</script></svg>'],
  ['iframe javascript src', '<iframe src="javascript:alert(1)"></iframe>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['object data', '<object data="javascript:alert(1)"></object>'],
  ['embed src', '<embed src="javascript:alert(1)">'],
  ['style element', '<style>body{background:url(javascript:alert(1))}</style>'],
  ['style attribute url()', '<div style="background:url(javascript:alert(1))">x</div>'],
  ['style attribute expression()', '<p style="width: expression(alert(1))">x</p>'],
  ['math namespace confusion', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['math href', '<math href="javascript:alert(1)">click</math>'],
  ['form action', '<form action="javascript:alert(1)"><button>send</button></form>'],
  ['button formaction', '<button formaction="javascript:alert(1)">x</button>'],
  ['inline a href javascript', '<a href="javascript:alert(1)">x</a>'],
  ['inline a href entity-encoded', '<a href="&#106;avascript:alert(1)">x</a>'],
  ['img src with an entity tab', '<img src="jav&#x09;ascript:alert(1)">'],
  ['custom element onclick', '<x-card onclick=alert(1)>x</x-card>'],
  ['details ontoggle', '<details open ontoggle=alert(1)>'],
  ['base href', '<base href="javascript:alert(1)//">'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['link stylesheet', '<link rel=stylesheet href=javascript:alert(1)>'],
  ['comment hiding a script', '<!--<script>alert(1)//-->'],
  ['CDATA hiding a script', '<![CDATA[<script>alert(1)</script>]]>'],
  ['attribute break-out in plain text', '"><script>alert(1)</script>'],
  ['html block after a paragraph', 'Text\n\n<div>\n<script>alert(1)</script>\n</div>'],
  // Markdown links with dangerous schemes
  ['link javascript:', '[x](javascript:alert(1))'],
  ['link mixed case JaVaScRiPt:', '[x](JaVaScRiPt:alert(1))'],
  ['link decimal entity &#106;', '[x](&#106;avascript:alert(1))'],
  ['link hex entities', '[x](&#x6A;&#x61;&#x76;&#x61;script:alert(1))'],
  ['link &colon; entity', '[x](javascript&colon;alert(1))'],
  ['link &Tab; entity inside the scheme', '[x](java&Tab;script:alert(1))'],
  ['link &#09; entity inside the scheme', '[x](java&#09;script:alert(1))'],
  ['link literal tab inside <…>', `[x](<java${TAB}script:alert(1)>)`],
  ['link leading spaces', '[x](   javascript:alert(1))'],
  ['link leading control character', `[x](${SOH}javascript:alert(1))`],
  ['link NUL inside the scheme', `[x](<java${NUL}script:alert(1)>)`],
  ['link zero-width space inside the scheme', `[x](java${ZWSP}script:alert(1))`],
  ['link unicode line separator', `[x](java${LS}script:alert(1))`],
  ['link unicode paragraph separator first', `[x](${PS}javascript:alert(1))`],
  ['link percent-encoded letter', '[x](%6Aavascript:alert(1))'],
  ['link percent-encoded colon', '[x](javascript%3Aalert(1))'],
  ['link data:text/html', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['link vbscript:', '[x](vbscript:msgbox(1))'],
  ['link file:', '[x](file:///etc/passwd)'],
  ['link with a title', '[x](javascript:alert(1) "a title")'],
  ['link feed: wrapping javascript:', '[x](feed:javascript:alert(1))'],
  ['link intent:', '[x](intent://x#Intent;scheme=javascript;end)'],
  ['link ftp: (not on the allow-list)', '[x](ftp://example.com/file)'],
  // Images
  ['image javascript:', '![x](javascript:alert(1))'],
  ['image data:image/svg+xml', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
  ['image data:image/png', '![x](data:image/png;base64,iVBORw0KGgo=)'],
  ['image alt break-out', '![x" onerror="alert(1)](https://example.com/a.png)'],
  ['image title break-out', '![x](https://example.com/a.png "a\\" onerror=\\"alert(1)")'],
  // Autolinks and linkify
  ['autolink javascript:', '<javascript:alert(1)>'],
  ['autolink upper case', '<JAVASCRIPT:alert(1)>'],
  ['autolink vbscript:', '<vbscript:alert(1)>'],
  ['autolink data:', '<data:text/html,<script>alert(1)</script>>'],
  ['autolink with a quote', '<http://example.com/" onmouseover="alert(1)>'],
  ['bare javascript: text', 'javascript:alert(1)'],
  ['linkified URL carrying a script', 'https://example.com/?q=<script>alert(1)</script>'],
  ['linkified www carrying a quote', 'www.example.com/"onmouseover="alert(1)'],
  // Reference-style links
  ['reference javascript:', '[x][r]\n\n[r]: javascript:alert(1)'],
  ['reference entity-encoded with title', '[x][r]\n\n[r]: &#106;avascript:alert(1) "t"'],
  ['reference in angle brackets', '[x]\n\n[x]: <javascript:alert(1)>'],
  ['collapsed reference data:', '[x][]\n\n[x]: data:text/html,<script>alert(1)</script>'],
  // Attribute break-out through titles and URLs
  ['title closing the attribute', '[x](https://example.com "\\"><script>alert(1)</script>")'],
  ['single-quoted title with an event handler', `[x](https://example.com 'a" onmouseover="alert(1)')`],
  ['URL with a quote and an event handler', '[x](https://example.com/"onmouseover="alert(1))'],
  ['markdown link text carrying an img', '[<img src=x onerror=alert(1)>](https://example.com)'],
  ['emphasis wrapping a script', '*<script>alert(1)</script>*'],
  ['inline code with a script', '`<script>alert(1)</script>`'],
  ['fence info string breaking out of class', '```"><script>alert(1)</script>\nx\n```'],
  ['fence info string with an event handler', '```js onload=alert(1)\nx\n```'],
  ['table alignment (style attribute) with html in a cell', '| a | b |\n|:-:|--:|\n| <b onmouseover=alert(1)>x</b> | y |'],
];

const FORBIDDEN_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'style', 'form', 'svg', 'math', 'base', 'meta', 'link', 'frame', 'frameset', 'button', 'input', 'textarea', 'select', 'template']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'srcset', 'poster', 'background', 'data', 'xlink:href', 'cite', 'longdesc']);
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** The scheme a browser could see, made as visible as possible: decoded, stripped of whitespace and controls, lowercased. */
function schemeOf(value: string): string | undefined {
  let plain = value;
  try {
    plain = decodeURIComponent(value); // stricter than a browser, which would read %xx in a scheme as a relative path
  } catch {
    /* keep it as it is */
  }
  // parse5 already decoded character references; remove what URL parsers and obfuscators skip over.
  plain = plain.replace(/[\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/g, '').toLowerCase();
  return /^([a-z][a-z0-9+.-]*):/.exec(plain)?.[1];
}

/** Every problem in the parsed output, as `element[attribute]: why`. Empty means inert. */
function dangers(html: string): string[] {
  const found: string[] = [];
  const document = parse(`<!doctype html><html><body><div class="answer">${html}</div></body></html>`);
  const visit = (node: Node) => {
    if (!('tagName' in node)) return;
    const el = node as Element;
    if (FORBIDDEN_ELEMENTS.has(el.tagName) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') found.push(`<${el.tagName}>: element not allowed`);
    for (const { name, value } of el.attrs) {
      const n = name.toLowerCase();
      if (n.startsWith('on')) found.push(`${el.tagName}[${n}]: event handler`);
      if (n === 'style') found.push(`${el.tagName}[style]: style attribute`);
      if (n === 'srcdoc') found.push(`${el.tagName}[srcdoc]: inline document`);
      if (URL_ATTRIBUTES.has(n)) {
        const scheme = schemeOf(value);
        if (scheme !== undefined && !SAFE_SCHEMES.has(scheme)) found.push(`${el.tagName}[${n}="${value}"]: scheme ${scheme}:`);
      }
    }
    for (const child of el.childNodes) visit(child);
    if (el.tagName === 'template') for (const child of (el as DefaultTreeAdapterTypes.Template).content.childNodes) visit(child);
  };
  for (const child of document.childNodes) visit(child);
  return found;
}

describe('E1 safe input: rendered answers are inert', () => {
  test('E1: the payload list is a real one (at least 40 payloads)', () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(PAYLOADS.map(([name]) => name)).size).toBe(PAYLOADS.length);
  });

  test('E1: the checker itself finds what it must (a check that sees nothing proves nothing)', () => {
    expect(dangers('<p>fine <a href="https://example.com/">link</a> <a href="/x">rel</a> <a href="#top">top</a> <a href="mailto:a@example.com">mail</a></p>')).toEqual([]);
    expect(dangers('<script>alert(1)</script>')).toHaveLength(1);
    expect(dangers('<img src=x onerror=alert(1)>')).toEqual(['img[onerror]: event handler']);
    expect(dangers('<a href=" jav&#x09;ascript:alert(1)">x</a>')).toHaveLength(1);
    expect(dangers('<a href="java%0Ascript:alert(1)">x</a>')).toHaveLength(1);
    expect(dangers('<img src="data:image/png;base64,AAAA">')).toHaveLength(1);
    expect(dangers('<p style="color:red">x</p>')).toEqual(['p[style]: style attribute']);
    expect(dangers('<svg><a href="javascript:alert(1)">x</a></svg>').length).toBeGreaterThanOrEqual(2);
    expect(dangers('<math><mi>x</mi></math>').length).toBeGreaterThanOrEqual(1);
  });

  test.each(PAYLOADS)('E1: %s renders inert', (_name, markdown) => {
    const html = renderMarkdown(markdown);
    expect(dangers(html), html).toEqual([]);
    // Also inert at the end of, and in the middle of, an ordinary answer.
    const inContext = renderMarkdown(`Intro with **bold**.\n\n${markdown}\n\n- a list item ${markdown}`);
    expect(dangers(inContext), inContext).toEqual([]);
  });

  test('E1: all payloads in one answer render inert together', () => {
    const html = renderMarkdown(PAYLOADS.map(([, markdown]) => markdown).join('\n\n'));
    expect(dangers(html)).toEqual([]);
  });
});

describe('E1 safe input: ordinary Markdown still works', () => {
  test('E1: http, https, mailto, relative and fragment links keep their targets; external ones get rel="noopener noreferrer"', () => {
    const html = renderMarkdown(
      '[a](https://example.com/a?b=1#c) [b](http://example.com/) [c](mailto:help@example.com) [d](/en/account-security/) [e](#top) [f](../x) <https://example.com/auto> help@example.com',
    );
    expect(html).toContain('<a href="https://example.com/a?b=1#c" rel="noopener noreferrer">a</a>');
    expect(html).toContain('<a href="http://example.com/" rel="noopener noreferrer">b</a>');
    expect(html).toContain('<a href="mailto:help@example.com">c</a>');
    expect(html).toContain('<a href="/en/account-security/">d</a>');
    expect(html).toContain('<a href="#top">e</a>');
    expect(html).toContain('<a href="../x">f</a>');
    expect(html).toContain('<a href="https://example.com/auto" rel="noopener noreferrer">https://example.com/auto</a>');
    expect(html).toContain('<a href="mailto:help@example.com">help@example.com</a>');
    expect(dangers(html)).toEqual([]);
  });

  test('E1: an https image and a title with quotes render, escaped', () => {
    const html = renderMarkdown('![A "quoted" alt](https://example.com/a.png "Say \\"hi\\"")');
    expect(html).toContain('<img src="https://example.com/a.png" alt="A &quot;quoted&quot; alt" title="Say &quot;hi&quot;">');
  });

  test('E1: a refused link or image is shown as its Markdown text, with no target', () => {
    expect(renderMarkdown('[click me](javascript:alert(1))')).not.toMatch(/href="[^"]+"/);
    expect(renderMarkdown('[click me](javascript:alert(1))')).toContain('click me');
    expect(renderMarkdown('![pixel](data:image/png;base64,iVBORw0KGgo=)')).not.toMatch(/src="[^"]+"/);
  });

  test('E1: table alignment is kept as a class instead of a style attribute', () => {
    const html = renderMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
    expect(html).toContain('<th class="align-left">a</th>');
    expect(html).toContain('<td class="align-center">2</td>');
    expect(html).toContain('<td class="align-right">3</td>');
    expect(html).not.toContain('style=');
  });

  test('E1: isSafeUrl allows http(s), mailto and relative URLs only', () => {
    for (const url of ['https://example.com', 'http://x', 'mailto:a@b.c', '/path', '../up', '#frag', '?q=1', 'page.html', '//example.com/x'])
      expect(isSafeUrl(url), url).toBe(true);
    for (const url of ['javascript:alert(1)', ' JAVASCRIPT:x', 'java%09script:x', 'javascript%3Ax', 'data:image/png;base64,AA', 'vbscript:x', 'file:///x', 'ftp://x', 'tel:123', `java${LS}script:x`, `${ZWSP}javascript:x`])
      expect(isSafeUrl(url), url).toBe(false);
  });
});

describe('E1: the starter content renders as before, and the preview renders as publish does', () => {
  let entries: EntryFile[];
  beforeAll(async () => {
    entries = (await readContent(CONTENT_ROOT)).entries;
  });

  test('E1: every starter answer renders exactly as markdown-it with raw HTML off renders it (the renderer before hardening)', () => {
    // The renderer before this change: markdown-it defaults, html off, linkify on, rel on external links.
    const before = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
    const open = before.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
    before.renderer.rules.link_open = (tokens, idx, options, env, self) => {
      if (/^https?:\/\//i.test(String(tokens[idx]!.attrGet('href') ?? ''))) tokens[idx]!.attrSet('rel', 'noopener noreferrer');
      return open(tokens, idx, options, env, self);
    };
    expect(entries.length).toBeGreaterThanOrEqual(3 * 45);
    for (const e of entries) expect(renderMarkdown(e.answer), e.path).toBe(before.render(e.answer));
  });

  test('E1: renderPreview gives the published HTML and text (one renderer for preview and publish)', () => {
    for (const markdown of [...entries.map((e) => e.answer), ...PAYLOADS.map(([, m]) => m)]) {
      expect(renderPreview(markdown)).toEqual({ html: renderMarkdown(markdown), text: markdownToText(markdown) });
    }
    expect(renderPreview('')).toEqual({ html: '', text: '' });
  });
});
