// T7: message text is shown as plain text with links; nothing a user writes becomes markup.
import { describe, expect, test } from 'vitest';
import { messageSegments } from '../../src/lib/message-text.ts';

describe('T7: plain text with links', () => {
  test('T7: http(s) URLs become links; the rest stays text, line breaks included', () => {
    expect(messageSegments('See https://example.com/a?b=1 and\nhttp://x.test.')).toEqual([
      { type: 'text', text: 'See ' },
      { type: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { type: 'text', text: ' and\n' },
      { type: 'link', text: 'http://x.test', href: 'http://x.test/' },
      { type: 'text', text: '.' },
    ]);
  });

  test('T7: HTML and script stay text; javascript:, data: and other schemes are never links', () => {
    const evil = '<script>alert(1)</script> <a href="javascript:alert(1)">x</a> javascript:alert(1) data:text/html,<b>x</b> <img src=x onerror=alert(1)>';
    const segments = messageSegments(evil);
    expect(segments).toEqual([{ type: 'text', text: evil }]);
  });

  test('T7: sentence punctuation after a link is not part of it; a parenthesis inside the URL is', () => {
    expect(messageSegments('(see https://en.wikipedia.org/wiki/Loket_(disambiguation)).').filter((s) => s.type === 'link')).toEqual([
      { type: 'link', text: 'https://en.wikipedia.org/wiki/Loket_(disambiguation)', href: 'https://en.wikipedia.org/wiki/Loket_(disambiguation)' },
    ]);
    expect(messageSegments('Go to https://example.com!').map((s) => s.text)).toEqual(['Go to ', 'https://example.com', '!']);
  });

  test('T7: a URL with a quote or angle bracket ends there, so no attribute can be smuggled in', () => {
    const [, link] = messageSegments('x https://e.com/"onmouseover="alert(1) y');
    expect(link).toEqual({ type: 'link', text: 'https://e.com/', href: 'https://e.com/' });
  });
});
