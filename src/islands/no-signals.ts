// Loket's islands take plain props, never Preact signals. @astrojs/preact's client imports
// @preact/signals only for an island given signal props; this stand-in (aliased in
// astro.config.mjs) keeps ~3 KB of never-used code out of what every page can load, and fails
// loudly if a signal prop is ever passed.
export function signal(): never {
  throw new Error('Loket islands take plain props: @preact/signals is not bundled (see astro.config.mjs)');
}
