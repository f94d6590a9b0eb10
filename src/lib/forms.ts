// One way to read a posted form: fields as strings (files and repeated keys ignored), never throws.
// Values are cut at `maxLength` (default 4096); forms with longer fields (T7 messages) pass more.
export async function readForm(request: Request, maxLength = 4096): Promise<Record<string, string>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) return {};
  try {
    const data = await request.formData();
    const out: Record<string, string> = {};
    for (const [key, value] of data) if (typeof value === 'string' && !(key in out)) out[key] = value.slice(0, maxLength);
    return out;
  } catch {
    return {};
  }
}

/** A same-site path to return to after signing in; anything else becomes the fallback. */
export function safeNext(value: string | null | undefined, fallback: string): string {
  return value && /^\/(?!\/)[\w\-./?=&%]*$/.test(value) && !value.includes('\\') ? value : fallback;
}
