// Plain node:http for the OIDC benchmark: one keep-alive agent per target (so Tessera and the
// ceiling never share sockets), a cookie jar for the one browser-like login per refresh chain, and
// nothing else — the load generator must cost as little CPU as possible on a shared machine.
import http from 'node:http';

export interface Res { status: number; headers: http.IncomingHttpHeaders; body: string }

export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

export function request(agent: http.Agent, url: URL, method: string, headers: Record<string, string> = {}, body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const h = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: h, agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (body !== undefined) req.end(body); else req.end();
  });
}

/**
 * Cookies of one simulated browser for one server. Paths and expiry are ignored (a login lasts
 * seconds); a cookie set empty or with Max-Age=0 is dropped.
 */
export class Jar {
  private cookies = new Map<string, string>();

  store(res: Res): void {
    for (const c of res.headers['set-cookie'] ?? []) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
      if (value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** client_secret_basic (RFC 6749 §2.3.1: each part form-urlencoded before base64). */
export function basicAuth(clientId: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return 'Basic ' + Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString('base64');
}

/** The hidden inputs of an HTML form page (CSRF token, `next`, interaction fields). */
export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) out[m[1]] = m[2].replace(/&amp;/g, '&');
  return out;
}
