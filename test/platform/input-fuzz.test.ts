// OPS-4 OPS-5 (issue 10): a schema-driven fuzz of every route in the route table. For each route,
// inputs are generated from its declared params, querystring and body: each field in turn made bad
// (NUL, lone surrogate, longer than declared, a 1 MB string, the wrong type, negative and huge
// numbers, malformed OIDs) while the others hold plausible values, plus whole-body shapes (deep
// JSON, a top-level array, malformed JSON, a foreign content type). Each is sent without
// credentials and with the central authority's (session cookie and CSRF token for pages, bearer
// token for the API). Never a 5xx, and never a changed row: the content of every table that holds
// state is hashed after each route and must not move. Bounded (MAX_PER_ROUTE inputs a route).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { centralAuthority } from '../helpers/api.ts';
import { hiddenFields } from '../helpers/client.ts';
import type { RouteEntry } from '../../src/platform/http/route-table.ts';
import { issueScimToken } from '../../src/scim/tokens.ts';
import { loadActor } from '../../src/access/actor.ts';

let t: TestApp;
after(() => t?.close());

const MAX_PER_ROUTE = 40;
// Rows whose change is not a change of state: the audit trail records refused attempts (AUTH-2),
// login throttles count them, a page shown issues a captcha, a session's last use moves, and the
// OpenID provider keeps its interactions, an API token its last use, and asking for passkey options
// stores that ceremony's one-time challenge (AUTH-11: it is how options work, whatever else is sent).
// Everything else must stay byte for byte.
const VOLATILE = new Set(['audit_events', 'login_throttle', 'captchas', 'sessions', 'api_tokens', 'scim_tokens', 'oidc_models', 'passkey_challenges', 'kysely_migration', 'kysely_migration_lock']);
// Ending the session is what these do, whatever else is sent; they are fuzzed without credentials.
const ENDS_SESSION = new Set(['/logout', '/logout-everywhere']);

type S = Record<string, unknown> & { type?: string | string[]; properties?: Record<string, S> };
const typeOf = (s: S): string => [s.type].flat()[0] as string ?? (s.anyOf ? typeOf((s.anyOf as S[])[0]) : 'any');
const isOidField = (name: string, s: S) => /oid|parent|unit|subtree|jurisdiction/i.test(name) || String(s.pattern ?? '').includes('(\\.(0|[1-9]');

/** A value the field would accept, so that the one bad field is what a request is refused for. */
function plausible(s: S, name: string): unknown {
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.const !== undefined) return s.const;
  switch (typeOf(s)) {
    case 'string': return isOidField(name, s) ? '2.16.886.101' : s.format === 'date-time' ? '2026-12-01T00:00:00Z' : 'x'.repeat(Math.max(1, Number(s.minLength ?? 1)));
    case 'integer': case 'number': return Math.max(1, Number(s.minimum ?? 1));
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return {};
    default: return 'x';
  }
}

const MALFORMED_OIDS = ['2.16..886', '2.16.886.', '01.2.3', `2.${'1'.repeat(300)}`, "2.16.886.101' OR '1'='1", '2.16.886.-1'];

/** Bad values for one field, by its declared type. */
function badValues(s: S, name: string, form: boolean): unknown[] {
  const t = typeOf(s);
  const max = Number(s.maxLength ?? 1000);
  const wrongType = form ? ['a', 'b'] : { nested: 'object' };
  if (t === 'integer' || t === 'number') return form ? ['-1', '0', '99999999999999999999', 'abc', '1.5', '1e400'] : [-1, 0, 2 ** 53, 1e308, 'abc', 1.5, wrongType];
  if (t === 'array') return form ? [Array.from({ length: 10_001 }, (_, i) => String(i)), ['\0']] : ['not-a-list', [{}], Array.from({ length: 10_001 }, (_, i) => String(i))];
  if (t === 'boolean') return form ? ['maybe'] : ['maybe', {}];
  return ['a\0b', '\uD800', 'x'.repeat(max + 1), wrongType, ...(isOidField(name, s) ? MALFORMED_OIDS : [])];
}

/** A value as it travels in a URL or a form: repeated keys for lists; lone surrogates as their UTF-8-style bytes. */
function encodePairs(obj: Record<string, unknown>): string {
  const enc = (v: string) => v.split('').map((c) => (/[\uD800-\uDFFF]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c))).join('');
  return Object.entries(obj).flatMap(([k, v]) => [v].flat().map((x) => `${enc(k)}=${enc(typeof x === 'string' ? x : JSON.stringify(x))}`)).join('&');
}

interface Probe { what: string; url: string; payload?: string; contentType?: string }

function fillPath(url: string, params: S | undefined, override: Record<string, string> = {}): string {
  return url.replace(/:(\w+)/g, (_, p: string) => override[p] ?? encodeURIComponent(String(plausible(params?.properties?.[p] ?? {}, p)))).replace(/\*$/, '');
}

/** The bad inputs for one route, at most MAX_PER_ROUTE. */
function probes(r: RouteEntry): Probe[] {
  const s = r.schema ?? {};
  const params = s.params as S | undefined, query = s.querystring as S | undefined, body = s.body as S | undefined;
  const form = Boolean(body?.properties?._csrf);
  const base = (o: S | undefined) => Object.fromEntries(Object.entries(o?.properties ?? {}).filter(([k]) => k !== '_csrf').map(([k, v]) => [k, plausible(v, k)]));
  const qs = (q: Record<string, unknown>) => (Object.keys(q).length ? `?${encodePairs(q)}` : '');
  const baseQuery = base(query), baseBody = base(body);
  const sendBody = (b: Record<string, unknown>) => (form ? { payload: encodePairs(b), contentType: 'application/x-www-form-urlencoded' } : { payload: JSON.stringify(b), contentType: 'application/json' });
  const url = (o: Record<string, string> = {}) => fillPath(r.url, params, o);
  const out: Probe[] = [];
  for (const p of Object.keys(params?.properties ?? {})) {
    for (const v of ['-1', '0', '99999999999999999999', '%00', '%ED%A0%80', 'abc', '..%2F..', `${'9'.repeat(300)}`]) out.push({ what: `params.${p}=${v.slice(0, 20)}`, url: url({ [p]: v }) + qs(baseQuery) });
  }
  for (const [k, f] of Object.entries(query?.properties ?? {})) {
    for (const v of badValues(f, k, true)) out.push({ what: `query.${k}`, url: url() + qs({ ...baseQuery, [k]: v }) });
  }
  if (body) {
    for (const [k, f] of Object.entries(body.properties ?? {})) {
      if (k === '_csrf') continue;
      for (const v of badValues(f, k, form)) out.push({ what: `body.${k}`, url: url() + qs(baseQuery), ...sendBody({ ...baseBody, [k]: v }) });
    }
    const deep = JSON.parse('['.repeat(40) + ']'.repeat(40));
    out.push({ what: 'body 1 MB string', url: url(), ...sendBody({ ...baseBody, [Object.keys(baseBody)[0] ?? 'x']: 'y'.repeat(1_000_000) }) });
    out.push({ what: 'deep JSON', url: url(), payload: JSON.stringify({ ...baseBody, deep }), contentType: 'application/json' });
    out.push({ what: 'top-level array', url: url(), payload: '[1,2,3]', contentType: 'application/json' });
    out.push({ what: 'malformed JSON', url: url(), payload: '{"a":', contentType: 'application/json' });
    out.push({ what: 'foreign content type', url: url(), payload: 'x', contentType: 'text/plain' });
  }
  return out.slice(0, MAX_PER_ROUTE);
}

/** One hash of every table that holds state. */
async function stateHash(tables: string[]): Promise<string> {
  const parts = tables.map((name) => sql`(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM ${sql.table(name)} t)`);
  const r = await sql<{ h: string }>`SELECT md5(concat(${sql.join(parts)})) AS h`.execute(t.deps.db);
  return r.rows[0].h;
}

test('OPS-4 OPS-5: generated bad input to every route, with and without credentials, is never a 5xx and never changes a row (issue 10)', async (ctx) => {
  t = await startTestApp();
  const { client, token } = await centralAuthority(t);
  // SSO-6: /scim/v2 answers to a SCIM token (the central authority's, over the whole sample tree).
  const admin = await t.deps.db.selectFrom('accounts').select('id').where('username', '=', 'centraladmin').executeTakeFirstOrThrow();
  const issued = await issueScimToken(t.deps, await loadActor(t.deps, admin.id), 'csm', { jurisdictionOid: '2.16.886.101' }, null);
  assert.ok(issued.ok);
  const scimToken = issued.token;
  const csrf = hiddenFields((await client.get('/profile')).body)._csrf;
  assert.ok(csrf, 'a page form carries the CSRF token');
  const cookie = ['tessera_session', 'tessera_csrf'].map((n) => `${n}=${client.cookie(n)}`).join('; ');
  const tables = (await sql<{ n: string }>`SELECT table_name AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`.execute(t.deps.db))
    .rows.map((x) => x.n).filter((n) => !VOLATILE.has(n));
  assert.ok(tables.includes('accounts') && tables.includes('orgs'), 'the hash covers the state tables');

  // The OpenID provider makes its signing keys on first use, whatever the request: use it once first.
  assert.equal((await t.app.inject({ method: 'GET', url: '/oidc/jwks' })).statusCode, 200);
  const routes = t.app.routeTable.filter((r) => r.method !== 'HEAD');
  const failures: string[] = [];
  let sent = 0;
  let before = await stateHash(tables);
  for (const r of routes) {
    const api = r.url.startsWith('/api/') || r.url.startsWith('/scim/');
    for (const p of probes(r)) {
      for (const withCredentials of ENDS_SESSION.has(r.url) ? [false] : [false, true]) {
        const headers: Record<string, string> = {};
        if (p.contentType) headers['content-type'] = p.contentType;
        let payload = p.payload;
        if (withCredentials && api) headers.authorization = `Bearer ${r.url.startsWith('/scim/') ? scimToken : token}`;
        if (withCredentials && !api) {
          headers.cookie = cookie;
          if (p.contentType === 'application/x-www-form-urlencoded') payload = `_csrf=${encodeURIComponent(csrf)}&${payload}`;
        }
        const res = await t.app.inject({ method: r.method as 'GET', url: p.url, headers, payload });
        sent++;
        if (res.statusCode >= 500) failures.push(`${r.method} ${r.url} ${p.what}${withCredentials ? ' (signed in)' : ''}: ${res.statusCode}`);
      }
    }
    const now = await stateHash(tables);
    if (now !== before) failures.push(`${r.method} ${r.url}: bad input changed stored state`);
    before = now;
  }
  assert.ok(sent > 1000, `${sent} requests sent`);
  ctx.diagnostic(`${sent} requests to ${routes.length} routes`);
  assert.deepEqual(failures, [], failures.join('\n'));
});
