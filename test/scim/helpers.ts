// SSO-6: what the SCIM tests share: a registration administrator of an agency holding a grant for
// the csm category, a SCIM token issued through the admin API, and one call shape for /scim/v2.
import assert from 'node:assert/strict';
import type { TestApp } from '../helpers/app.ts';
import { createAccount } from '../helpers/accounts.ts';
import { giveGrant } from '../helpers/factories.ts';
import { apiToken, jsonCall } from '../helpers/api.ts';
import type { GrantKind } from '../../src/access/authorize.ts';

export const PASSWORD = 'Correct-Horse-9';
export const SCIM_TYPE = 'application/scim+json';

export interface ScimRes { status: number; body: any; headers: Headers }

/** One call to /scim/v2 with a SCIM token; an object body is sent as application/scim+json (or `type`). */
export const scimWith = (t: TestApp, token: string | null) => async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimRes> => {
  const r = await fetch(t.url + '/scim/v2' + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': SCIM_TYPE } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: unknown = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
  return { status: r.status, body: parsed, headers: r.headers };
};

/** An administrator with a grant over `oid` for `categories`, and their personal API token. */
export async function administrator(t: TestApp, username: string, kind: GrantKind, oid: string, categories: string[], unitOid = '2.16.886.101'): Promise<{ id: number; apiToken: string }> {
  const id = await createAccount(t.deps, { username, password: PASSWORD, unitOid, name: `管理者${username}` });
  await giveGrant(t.deps, id, kind, oid, categories);
  return { id, apiToken: await apiToken(t, username) };
}

/** A SCIM token for `system` over `oid`, issued through POST /api/v1/systems/:code/scim-tokens. */
export async function issueToken(t: TestApp, adminToken: string, system: string, oid: string): Promise<string> {
  const r = await jsonCall(t, adminToken, 'POST', `/api/v1/systems/${system}/scim-tokens`, { jurisdictionOid: oid, label: 'test' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.token;
}
