// The JSON API (/api/v1) as the tests call it: a personal token issued through the CLI, as an
// operator would, and fetch with it. Also the central authority signed in on the pages.
import assert from 'node:assert/strict';
import { tokenCommand } from '../../src/admin/cli.ts';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type TestApp } from './app.ts';
import { Client } from './client.ts';
import { login } from './login.ts';

export type Api = (method: string, path: string, body?: unknown) => Promise<Response>;

/** A new API token of `username` (`tessera token create`). */
export async function apiToken(t: TestApp, username: string): Promise<string> {
  let out = '';
  assert.equal(await tokenCommand(t.deps, 'create', ['--username', username], { out: (s) => { out += s; }, err: () => {} }), 0);
  return out.trim();
}

/** Calls /api/v1 with `token`; an object body is sent as JSON, a string body as it is (malformed input). */
export const apiWith = (t: TestApp, token: string): Api => (method, path, body) => fetch(t.url + '/api/v1' + path, {
  method,
  headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
  body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
});

/** The bootstrap central authority: signed in on the pages, and holding an API token. */
export async function centralAuthority(t: TestApp): Promise<{ client: Client; token: string; api: Api }> {
  const client = new Client(t.url);
  assert.equal((await login(t, client, ADMIN_USERNAME, ADMIN_PASSWORD)).status, 303);
  const token = await apiToken(t, ADMIN_USERNAME);
  return { client, token, api: apiWith(t, token) };
}

/**
 * One JSON call with a bearer token and an optional Accept-Language: status and parsed body (null
 * when empty or not JSON). For tests that act as several named actors (`tokens[who]`).
 */
export async function jsonCall(t: TestApp, token: string, method: string, path: string, body?: unknown, lang?: string): Promise<{ status: number; body: any }> {
  const r = await fetch(t.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...(lang ? { 'accept-language': lang } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let parsed: unknown = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: null */ }
  return { status: r.status, body: parsed };
}
