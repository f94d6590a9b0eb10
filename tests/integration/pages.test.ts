// K1–K5, K7, N4 against the built server and a fresh database file.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const get = (path: string, init: RequestInit = {}) => fetch(server.origin + path, { redirect: 'manual', ...init });
const html = async (path: string) => {
  const res = await get(path);
  return { res, body: await res.text() };
};
const locales = ['nl', 'en', 'fr'] as const;
const titles = {
  home: { nl: 'Waarmee kunnen we je helpen?', en: 'How can we help?', fr: 'Comment pouvons-nous vous aider ?' },
  area: { nl: 'Account &amp; beveiliging', en: 'Account &amp; Security', fr: 'Compte et sécurité' },
};

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

function expectHreflangSet(body: string, path: (lang: string) => string) {
  for (const l of locales) expect(body).toContain(`<link rel="alternate" hreflang="${l}" href="${server.origin}${path(l)}">`);
  expect(body).toContain(`<link rel="alternate" hreflang="x-default" href="${server.origin}${path('en')}">`);
}

describe('N1: start on an empty database', () => {
  test('the server migrated and imported the starter content before listening', () => {
    expect(server.output()).toMatch(/imported the starter content \(\d+ entries/);
  });
});

describe('K1: locale negotiation at /', () => {
  test.each([
    ['nl-NL,nl;q=0.9,en;q=0.8', '/nl/'],
    ['fr-BE', '/fr/'],
    ['de-DE,de;q=0.9', '/en/'],
    ['', '/en/'],
    ['en-US;q=0.3, fr;q=0.7', '/fr/'],
  ])('Accept-Language %j → %s', async (header, location) => {
    const res = await get('/', { headers: header ? { 'Accept-Language': header } : {} });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(location);
    expect(res.headers.get('vary')).toMatch(/Accept-Language/i);
  });
});

describe.each(locales)('K1–K4, K7 in %s', (lang) => {
  test('K2: home lists the support areas with title and description', async () => {
    const { res, body } = await html(`/${lang}/`);
    expect(res.status).toBe(200);
    expect(body).toContain(`<html lang="${lang}"`);
    expect(body).toContain(titles.home[lang]);
    expect(body).toContain(titles.area[lang]);
    if (lang === 'en') expect(body).toContain('Sign-in, 2FA, security and account recovery');
    expect(body).toContain(`href="/${lang}/account-security/"`);
    expect(body).toContain(`href="/${lang}/support-tickets/"`);
    expect(body).toContain(`href="/${lang}/getting-started/"`);
    expectHreflangSet(body, (l) => `/${l}/`);
    expect(body).toContain(`<link rel="canonical" href="${server.origin}/${lang}/">`);
  });

  test('K3: an area lists its entries with tag chips; ?tag= filters on the server', async () => {
    const { res, body } = await html(`/${lang}/account-security/`);
    expect(res.status).toBe(200);
    expect(body).toContain(`<html lang="${lang}"`);
    expect(body).toMatch(new RegExp(`<title>${titles.area[lang]} · Loket</title>`));
    const all = body.match(/class="entry-card"/g)?.length ?? 0;
    expect(all).toBeGreaterThanOrEqual(45);
    expect(body).toContain(`href="/${lang}/account-security/?tag=2fa"`);
    expectHreflangSet(body, (l) => `/${l}/account-security/`);

    const filtered = await html(`/${lang}/account-security/?tag=2fa`);
    expect(filtered.res.status).toBe(200);
    const cards = filtered.body.split('class="entry-card"').slice(1);
    expect(cards.length).toBeGreaterThan(3);
    expect(cards.length).toBeLessThan(all);
    for (const card of cards) expect(card).toContain('?tag=2fa"');
    // the filtered view is not a separate page for search engines
    expect(filtered.body).toContain(`<link rel="canonical" href="${server.origin}/${lang}/account-security/">`);
  });

  test('K3: an unknown tag shows every entry with a notice, not an error', async () => {
    const { res, body } = await html(`/${lang}/account-security/?tag=%3Cscript%3E`);
    expect(res.status).toBe(200);
    expect(body).toContain('class="notice"');
    expect(body).toContain('&lt;script&gt;');
    expect(body).not.toMatch(/<script>(?!\(\(\)=>)/); // only Astro's own island bootstrap scripts
  });

  test('K4: an entry page shows the answer first, the other entries and "Back to overview"', async () => {
    const { res, body } = await html(`/${lang}/account-security/password-requirements`);
    expect(res.status).toBe(200);
    expect(body).toContain(`<html lang="${lang}"`);
    const h1 = body.indexOf('<h1');
    const answer = body.indexOf('class="answer-main"');
    const related = body.indexOf('class="related"');
    expect(h1).toBeGreaterThan(0);
    expect(answer).toBeGreaterThan(h1);
    expect(related).toBeGreaterThan(answer);
    expect(body.slice(answer, answer + 400)).toMatch(/8/);
    expect(body).toContain(`href="/${lang}/account-security/reset-password"`);
    expect(body).toContain({ nl: 'Terug naar het overzicht', en: 'Back to overview', fr: "Retour à l'aperçu" }[lang].replace("'", '&#39;'));
    expectHreflangSet(body, (l) => `/${l}/account-security/password-requirements`);
    expect(body).toMatch(new RegExp(`<title>[^<]+ · Loket</title>`));
  });

  test('K7: every KB page shows the live-support box in its signed-out state', async () => {
    const signedOut = {
      nl: 'Je moet ingelogd zijn om een supportticket te starten.',
      en: 'You must be signed in to start a support ticket.',
      fr: 'Vous devez être connecté pour ouvrir un ticket d&#39;assistance.',
    }[lang];
    for (const path of [`/${lang}/`, `/${lang}/account-security/`, `/${lang}/account-security/recovery-codes`, `/${lang}/search?q=2fa`]) {
      const { body } = await html(path);
      expect(body, path).toContain('class="support-box"');
      expect(body, path).toContain(signedOut);
      expect(body, path).toContain(`href="/${lang}/login"`);
    }
  });

  test('K1: the language switcher links to the same entry in the other languages', async () => {
    const { body } = await html(`/${lang}/account-security/recovery-codes`);
    const nav = body.slice(body.indexOf('class="lang-switch"'), body.indexOf('</nav>', body.indexOf('class="lang-switch"')));
    for (const l of locales) expect(nav).toContain(`href="/${l}/account-security/recovery-codes"`);
    expect(nav).toContain(`aria-current="page"`);
  });

  test('K5: /{lang}/search renders results on the server, with highlights', async () => {
    const q = { nl: 'wachtwoord', en: 'password', fr: 'mot de passe' }[lang];
    const { res, body } = await html(`/${lang}/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    expect(body).toContain(`<html lang="${lang}"`);
    expect(body).toContain('<mark>');
    expect(body).toMatch(new RegExp(`href="/${lang}/account-security/[a-z0-9-]+"`));
    expect(body).toContain('<meta name="robots" content="noindex">');
  });

  test('K5: an empty search and a too-long one get a clear message', async () => {
    const empty = await html(`/${lang}/search?q=`);
    expect(empty.res.status).toBe(200);
    expect(empty.body).not.toContain('class="result"');
    const long = await html(`/${lang}/search?q=${'a'.repeat(201)}`);
    expect(long.res.status).toBe(400);
    expect(long.body).toContain('role="alert"');
  });

  test('404: an unknown area or entry gets a localized 404 page', async () => {
    const notFound = { nl: 'Pagina niet gevonden', en: 'Page not found', fr: 'Page introuvable' }[lang];
    for (const path of [`/${lang}/no-such-area/`, `/${lang}/account-security/no-such-entry`, `/${lang}/a/b/c/d`]) {
      const { res, body } = await html(path);
      expect(res.status, path).toBe(404);
      expect(body, path).toContain(`<html lang="${lang}"`);
      expect(body, path).toContain(notFound);
    }
  });
});

describe('K4 / K1: redirects and 404s', () => {
  test('an entry requested under the wrong area redirects to its one URL', async () => {
    const res = await get('/fr/getting-started/password-requirements');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/fr/account-security/password-requirements');
  });
  test('an unknown locale gets a 404 in the browser language', async () => {
    const res = await get('/de/account-security/', { headers: { 'Accept-Language': 'nl' } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('<html lang="nl"');
  });
});

describe('K5: the search index JSON', () => {
  test('served with a content-hash ETag, long caching when versioned (the page names the documents\' version), 304 on revalidation', async () => {
    const page = await (await get('/nl/')).text();
    const url = /\/nl\/search-index\.json\?v=([0-9a-f]{16})/.exec(page.replace(/&amp;/g, '&'));
    expect(url).not.toBeNull();
    const res = await get(url![0]);
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(res.headers.get('cache-control')).toContain('immutable');
    const json = await res.json();
    expect(json.documentCount).toBeGreaterThanOrEqual(45);
    // any other version in the URL is not cached for long
    expect((await get('/nl/search-index.json?v=0000000000000000')).headers.get('cache-control')).toContain('must-revalidate');
    const again = await get('/nl/search-index.json', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    const unversioned = await get('/nl/search-index.json');
    expect(unversioned.headers.get('cache-control')).toContain('must-revalidate');
    expect((await get('/xx/search-index.json')).status).toBe(404);
  });
  test('each language has its own index', async () => {
    const nl = await (await get('/nl/search-index.json')).text();
    const fr = await (await get('/fr/search-index.json')).text();
    expect(nl).toContain('tweestapsverificatie');
    expect(fr).not.toContain('tweestapsverificatie');
  });
});

describe('K1: sitemap and robots', () => {
  test('the sitemap lists every page in every language with alternates', async () => {
    const res = await get('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('xml');
    const xml = await res.text();
    for (const l of locales) {
      expect(xml).toContain(`<loc>${server.origin}/${l}/</loc>`);
      expect(xml).toContain(`<loc>${server.origin}/${l}/account-security/password-requirements</loc>`);
    }
    expect(xml).toContain(`hreflang="x-default"`);
    const locs = xml.match(/<loc>/g)!.length;
    expect(locs).toBeGreaterThanOrEqual(3 * (1 + 3 + 45));
  });
  test('robots.txt points at the sitemap', async () => {
    expect(await (await get('/robots.txt')).text()).toContain(`Sitemap: ${server.origin}/sitemap.xml`);
  });
});

describe('A21 / N3: headers', () => {
  test('pages carry security headers', async () => {
    const res = await get('/en/');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });
});
