// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact()],
  server: { host: '127.0.0.1', port: 4321 },
  // K1: every public URL carries its locale; routing is ours (src/middleware.ts, src/pages/index.ts).
  i18n: {
    locales: ['nl', 'en', 'fr'],
    defaultLocale: 'en',
    routing: 'manual',
  },
  // A21: the origin check lives in src/middleware.ts and covers every state-changing request, of
  // any body type. Astro's own check is off because it refuses `Origin: null`, which browsers send
  // from pages with `Referrer-Policy: no-referrer` (the token pages) even for same-origin forms.
  security: { checkOrigin: false },
  build: { inlineStylesheets: 'always' },
  compressHTML: true,
  devToolbar: { enabled: false },
  vite: {
    build: { assetsInlineLimit: 0 },
    // Islands never get signal props: the renderer's import of @preact/signals becomes a stand-in.
    resolve: { alias: { '@preact/signals': fileURLToPath(new URL('./src/islands/no-signals.ts', import.meta.url)) } },
  },
});
