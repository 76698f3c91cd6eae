// A minimal browser-like HTTP client: a cookie jar, no automatic redirects, and helpers that
// read hidden form fields (_csrf, captchaId) from the returned page.
export interface Res { status: number; location: string | null; body: string; headers: Headers }

export class Client {
  private jar = new Map<string, string>();
  constructor(readonly base: string, readonly ip?: string) {}

  private store(h: Headers) {
    for (const c of h.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.jar.delete(name); else this.jar.set(name, value);
    }
  }

  cookie(name: string): string | undefined { return this.jar.get(name); }
  setCookie(name: string, value: string) { this.jar.set(name, value); }
  dropCookie(name: string) { this.jar.delete(name); }
  /** The same browser (cookies, address) talking to another instance: two requests of one person at once. */
  on(base: string): Client { const c = new Client(base, this.ip); for (const [k, v] of this.jar) c.jar.set(k, v); return c; }

  async request(method: string, path: string, body?: Record<string, string> | string, headers: Record<string, string> = {}): Promise<Res> {
    const h: Record<string, string> = { ...headers };
    if (this.jar.size) h.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.ip) h['x-forwarded-for'] = this.ip;
    let payload: string | undefined;
    if (typeof body === 'string') payload = body;
    else if (body) { payload = new URLSearchParams(body).toString(); h['content-type'] = 'application/x-www-form-urlencoded'; }
    const r = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    this.store(r.headers);
    return { status: r.status, location: r.headers.get('location'), body: await r.text(), headers: r.headers };
  }

  get(path: string) { return this.request('GET', path); }
  post(path: string, body: Record<string, string>) { return this.request('POST', path, body); }

  /** GETs `path` and posts `fields` with the page's CSRF token (and captcha id, when present). */
  /** `fields` may be a function, read after the page is fetched (e.g. the captcha it issued). */
  async submit(path: string, action: string, fields: Record<string, string> | (() => Record<string, string>)): Promise<Res> {
    const page = await this.get(path);
    return this.post(action, { ...hiddenFields(page.body), ...(typeof fields === 'function' ? fields() : fields) });
  }
}

export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) out[m[1]] = m[2].replace(/&amp;/g, '&');
  return out;
}
