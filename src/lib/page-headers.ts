// Headers of personal pages: never cached; pages whose URL may hold a token never send a Referer (ASVS V3.4.5).
export function personalPage(headers: Headers, { tokenInUrl = false }: { tokenInUrl?: boolean } = {}): void {
  headers.set('Cache-Control', 'no-store');
  if (tokenInUrl) headers.set('Referrer-Policy', 'no-referrer');
}
