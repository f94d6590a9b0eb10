/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** K1: the page's locale (from the URL; for locale-less URLs from Accept-Language). */
    lang: import('./i18n/locales.ts').Locale;
  }
}
