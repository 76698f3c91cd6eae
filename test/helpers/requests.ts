// People and calls for the request-engine tests (REQ-1..6): accounts with grants, signed-in
// clients and API tokens; deciding on the 審查詳細資訊 page and through the API.
import assert from 'node:assert/strict';
import type { TestApp } from './app.ts';
import { Client, type Res } from './client.ts';
import { createAccount } from './accounts.ts';
import { login } from './login.ts';
import { createGrant } from '../../src/admin/grants.ts';
import { tokenCommand } from '../../src/admin/cli.ts';
import { checkDigitFor } from '../../src/accounts/national-id.ts';
import type { GrantKind } from '../../src/access/authorize.ts';

export const PASSWORD = 'Correct-Horse-9';
export const AGENCY = '2.16.886.101.90027.20002';
export const UNIT = AGENCY + '.20011';

export const nationalIdOf = (i: number) => { const first9 = `A2${String(3330000 + i).padStart(7, '0')}`; return first9 + checkDigitFor(first9); };

export interface Person { id: number; username: string; name: string; email: string; client: Client; token: string }

let seq = 0;
/** An enabled account, signed in, with an API token and the grants given. */
export async function person(t: TestApp, o: { username: string; name: string; unit?: string; grants?: { kind: GrantKind; oid: string; categories?: string[] }[]; nationalId?: boolean }): Promise<Person> {
  const email = `${o.username}@example.gov.tw`;
  const id = await createAccount(t.deps, {
    username: o.username, password: PASSWORD, unitOid: o.unit ?? UNIT, name: o.name,
    profile: { email, ...(o.nationalId !== false ? { nationalId: nationalIdOf(++seq), birthMonth: 4, birthDay: 9 } : {}) },
  });
  for (const g of o.grants ?? []) await createGrant(t.deps, null, { accountId: id, kind: g.kind, jurisdictionOid: g.oid, categories: g.categories ?? [] }, null);
  const client = new Client(t.url);
  assert.equal((await login(t, client, o.username, PASSWORD)).status, 303, `${o.username} signs in`);
  let out = '';
  assert.equal(await tokenCommand(t.deps, 'create', ['--username', o.username], { out: (s) => { out += s; }, err: () => {} }), 0);
  return { id, username: o.username, name: o.name, email, client, token: out.trim() };
}

/** The id of the request a submission redirected to (/requests/:id or ?n=:id). */
export function requestIdFrom(res: Res): number {
  const m = res.location?.match(/\/requests\/(\d+)/) ?? res.location?.match(/[?&]n=(\d+)/);
  assert.ok(m, `redirected to the request: ${res.status} ${res.location} ${res.body.slice(0, 300)}`);
  return Number(m[1]);
}

/** 接受申請／駁回 on the 審查詳細資訊 page, with the step shown there; 駁回 through its confirmation step. */
export async function decideOnPage(p: Person, id: number, decision: 'approved' | 'rejected', comment = ''): Promise<Res> {
  const first = await p.client.submit(`/admin/requests/${id}`, `/admin/requests/${id}/decision`, { decision, comment });
  if (decision === 'approved' || first.status !== 200) return first;
  assert.match(first.body, /name="confirm" value="reject"/, '駁回 asks for confirmation first');
  return p.client.submit(`/admin/requests/${id}`, `/admin/requests/${id}/decision`, { decision, comment, confirm: 'reject' });
}

export async function api(t: TestApp, p: Person, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(t.url + '/api/v1/requests' + path, {
    method, headers: { authorization: `Bearer ${p.token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

export async function roles(t: TestApp, accountId: number): Promise<string[]> {
  return (await t.deps.db.selectFrom('role_grants').select('role_code').where('account_id', '=', accountId).orderBy('role_code').execute()).map((r) => r.role_code);
}

export async function requestRow(t: TestApp, id: number) {
  return t.deps.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
