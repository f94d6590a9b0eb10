// A tiny browser for integration tests: same-origin form posts with cookies kept per "device".
import { createClient } from '@libsql/client';

let nextHost = Math.floor(Math.random() * 250);

export class Device {
  cookies = new Map<string, string>();
  readonly origin: string;
  readonly userAgent: string;
  /** Each device is its own client: the server (TRUST_PROXY=1) reads this as the client address. */
  readonly ip: string;
  constructor(origin: string, userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36', ip?: string) {
    this.origin = origin;
    this.userAgent = userAgent;
    this.ip = ip ?? `198.51.100.${(nextHost++ % 250) + 1}`;
  }

  private store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a)) || value === '' || value === 'deleted';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  private headers(extra: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { 'User-Agent': this.userAgent, 'Accept-Language': 'en', 'X-Forwarded-For': this.ip, ...(cookie ? { Cookie: cookie } : {}), ...extra };
  }
  async get(path: string): Promise<Response> {
    const res = await fetch(this.origin + path, { redirect: 'manual', headers: this.headers() });
    this.store(res);
    return res;
  }
  async post(path: string, form: Record<string, string>, extra: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(this.origin + path, {
      method: 'POST',
      redirect: 'manual',
      headers: this.headers({ Origin: this.origin, 'Content-Type': 'application/x-www-form-urlencoded', ...extra }),
      body: new URLSearchParams(form).toString(),
    });
    this.store(res);
    return res;
  }
}

export async function query(dbUrl: string, sql: string, args: Array<string | number> = []) {
  const client = createClient({ url: dbUrl });
  try {
    return (await client.execute({ sql, args })).rows;
  } finally {
    client.close();
  }
}

/** The newest mail to an address in the local outbox. */
export async function latestMail(dbUrl: string, to: string, kind?: string) {
  const rows = await query(
    dbUrl,
    `SELECT kind, subject, text, html FROM mail_outbox WHERE "to" = ? ${kind ? 'AND kind = ?' : ''} ORDER BY id DESC LIMIT 1`,
    kind ? [to, kind] : [to],
  );
  const row = rows[0];
  return row ? { kind: String(row.kind), subject: String(row.subject), text: String(row.text), html: String(row.html) } : undefined;
}

/** The first match of `pattern` (its group 1) in the newest mail of a kind, waiting for mail sent after the answer. */
export async function waitForMailLink(dbUrl: string, to: string, kind: string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const mail = await latestMail(dbUrl, to, kind);
    if (mail) return pattern.exec(mail.text)![1]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${kind} mail`);
}
