// Shared plumbing of the cross-jurisdiction matrix tests (ADM-2): the organisations that surround
// an agency (sibling, parent, child, look-alike prefix), the route-table walk that fails on a route
// the test has no probe for, and one way to call a page or API route as a given actor.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { TestApp } from './app.ts';
import type { Client } from './client.ts';
import { CSRF_COOKIE } from '../../src/platform/http/context.ts';

export const AGENCY = '2.16.886.101.90027.20002';
export const SIBLING = '2.16.886.101.90029.20002';
export const PARENT = '2.16.886.101.90027';
export const CHILD = AGENCY + '.20011';
/** `…9002` is a prefix of `…90027` as text, not as an OID: it must cover nothing there. */
export const LOOK_ALIKE = '2.16.886.101.9002';

export interface Routed<P> { key: string; method: string; url: string; probe: P }

/**
 * The app's routes that `belongs` selects, each with its probe. A route without a probe fails
 * the test, so a new route cannot ship without being walked by the matrix.
 */
export function routesWithProbes<P>(app: FastifyInstance, belongs: (url: string) => boolean, probes: Record<string, P>, file: string): Routed<P>[] {
  const routes = app.routeTable.filter((r) => r.method !== 'HEAD' && belongs(r.url)).map((r) => ({ ...r, key: `${r.method} ${r.url}` }));
  const unknown = routes.filter((r) => !probes[r.key]).map((r) => r.key);
  assert.deepEqual(unknown, [], `teach ${file} how to call these routes (and check they authorize)`);
  return routes.map((r) => ({ ...r, probe: probes[r.key] }));
}

/** Routes under any of the prefixes (the prefix itself included). */
export const under = (prefixes: string[]) => (url: string) => prefixes.some((p) => url === p || url.startsWith(p + '/'));

export interface Res { status: number; text: string }
export type Body = Record<string, unknown> | [string, string][];

/**
 * Calls a route as `who`: pages with that actor's session cookie and the form's CSRF token, the
 * API with that actor's bearer token.
 */
export function caller(t: TestApp, clients: Record<string, Client>, tokens: Record<string, string>) {
  return async function call(who: string, method: string, url: string, body?: Body): Promise<Res> {
    if (url.startsWith('/api/')) {
      const r = await fetch(t.url + url, {
        method, headers: { authorization: `Bearer ${tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: r.status, text: await r.text() };
    }
    const c = clients[who];
    if (method === 'GET') { const r = await c.get(url); return { status: r.status, text: r.body }; }
    const csrf = t.deps.keyring.mac('csrf', c.cookie(CSRF_COOKIE)!);
    const pairs: [string, string][] = Array.isArray(body) ? body : Object.entries(body ?? {}).map(([k, v]) => [k, String(v ?? '')]);
    const r = await c.request(method, url, new URLSearchParams([['_csrf', csrf], ...pairs]).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    return { status: r.status, text: r.body };
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An OID as a whole token: `2.16.886.101.90027` inside `2.16.886.101.90027.20002` does not count. */
export const oidToken = (oid: string) => new RegExp(`(?<![0-9.])${escape(oid)}(?![0-9.])`);
/** The page without its header (the language link repeats the URL). */
export const withoutHeader = (html: string) => html.replace(/<header>[\s\S]*?<\/header>/, '');
