// SSO-6: delivering one SCIM push row (written by the database triggers of migration 028 whenever
// a person or a role membership in a target's subtree changes). The row names the person; what is
// sent is the person as they are at delivery, so a receiver that was down catches up with the
// current state, and rows of one person are delivered in order (the outbox claims them so).
// Unknown to the receiver → POST /Users (a 409 → found by userName and replaced); known → PUT;
// gone, deleted or moved out of the subtree → DELETE. Then the system's roles the person holds
// become group memberships there (groups created on first use). Status is kept on the target.
import type { Deps } from '../platform/deps.ts';
import type { ScimPushSender } from '../platform/outbox.ts';
import { userRows } from './user-queries.ts';
import { userResource, type Json } from './user-resource.ts';
import { CORE_GROUP, PATCH_OP } from './schemas.ts';
import { dropLink, findLink, findPushTarget, heldSystemRoles, markPushFailed, markPushOk, saveLink, type PushTargetRow } from './push-store.ts';
import { expect, PushError, scimClient, type ScimCall } from './push-client.ts';

type PushRow = { account: number } | { deletedGroup: string };

const enc = encodeURIComponent;
const eqFilter = (attr: string, v: string) => `?filter=${enc(`${attr} eq "${v.replace(/["\\]/g, '\\$&')}"`)}`;

/** The User as pushed: Tessera's id is the receiver's externalId; the receiver's own id and meta are its business. */
export function pushedUser(u: Parameters<typeof userResource>[0]): Json {
  const { id: _id, meta: _meta, externalId: _e, ...rest } = userResource({ ...u, external_id: null }, '');
  return { ...rest, externalId: String(u.id) };
}

async function findRemote(call: ScimCall, resource: 'Users' | 'Groups', attr: string, value: string): Promise<string | undefined> {
  const r = expect(await call('GET', `/${resource}${eqFilter(attr, value)}`), [200], `find ${resource}`);
  const found = (r.body?.Resources as { id?: unknown }[] | undefined)?.[0]?.id;
  return found === undefined ? undefined : String(found);
}

/** The receiver's id of the role's group: remembered, else created there (or found when it exists). */
async function groupId(deps: Deps, t: PushTargetRow, call: ScimCall, code: string): Promise<string> {
  const link = await findLink(deps.db, t.id, 'group', code);
  if (link) return link.remote_id;
  const r = await call('POST', '/Groups', { schemas: [CORE_GROUP], displayName: code, externalId: code });
  let id = r.status === 201 || r.status === 200 ? String(r.body?.id) : undefined;
  if (r.status === 409) id = await findRemote(call, 'Groups', 'displayName', code);
  if (!id || id === 'undefined') throw new PushError(r.status, 'create group');
  await saveLink(deps.db, t.id, 'group', code, id);
  return id;
}

async function pushPerson(deps: Deps, t: PushTargetRow, call: ScimCall, accountId: number): Promise<void> {
  const [row] = await userRows(deps.db, { all: false, roots: [t.jurisdiction_oid] }, [accountId], t.system_code);
  const link = await findLink(deps.db, t.id, 'user', String(accountId));
  if (!row) {
    if (link) {
      expect(await call('DELETE', `/Users/${enc(link.remote_id)}`), [200, 204, 404], 'delete user');
      await dropLink(deps.db, t.id, 'user', String(accountId));
    }
    return;
  }
  const body = pushedUser({ ...row, id: Number(row.id) });
  let remote = link?.remote_id;
  let had = link?.roles ?? [];
  if (remote) {
    const r = await call('PUT', `/Users/${enc(remote)}`, body);
    if (r.status === 404) { remote = undefined; had = []; } else expect(r, [200, 204], 'replace user');
  }
  if (!remote) {
    const r = await call('POST', '/Users', body);
    if (r.status === 201 || r.status === 200) remote = String(r.body?.id);
    else if (r.status === 409) {
      remote = await findRemote(call, 'Users', 'userName', row.username);
      if (!remote) throw new PushError(409, 'create user');
      expect(await call('PUT', `/Users/${enc(remote)}`, body), [200, 204], 'replace user');
    } else throw new PushError(r.status, 'create user');
    await saveLink(deps.db, t.id, 'user', String(accountId), remote, had);
  }
  const roles = await heldSystemRoles(deps.db, t.system_code, accountId);
  for (const code of roles.filter((c) => !had.includes(c))) {
    const gid = await groupId(deps, t, call, code);
    expect(await call('PATCH', `/Groups/${enc(gid)}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: remote }] }] }), [200, 204], 'add member');
  }
  for (const code of had.filter((c) => !roles.includes(c))) {
    const gid = (await findLink(deps.db, t.id, 'group', code))?.remote_id;
    if (gid) expect(await call('PATCH', `/Groups/${enc(gid)}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${remote}"]` }] }), [200, 204, 404], 'remove member');
  }
  await saveLink(deps.db, t.id, 'user', String(accountId), remote, roles);
}

async function pushGroupDeleted(deps: Deps, t: PushTargetRow, call: ScimCall, code: string): Promise<void> {
  const link = await findLink(deps.db, t.id, 'group', code);
  if (!link) return;
  expect(await call('DELETE', `/Groups/${enc(link.remote_id)}`), [200, 204, 404], 'delete group');
  await dropLink(deps.db, t.id, 'group', code);
}

const describe = (e: unknown): string => {
  if (e instanceof PushError) return e.message;
  const x = e as { name?: string; code?: string; cause?: { code?: string } };
  return [x.name === 'TimeoutError' ? 'timeout' : undefined, x.code, x.cause?.code].filter(Boolean).join(' ').slice(0, 200) || 'network error';
};

/** The outbox's sender of SCIM push rows (given to the outbox worker by the composition root). */
export function scimPushSender(deps: Pick<Deps, 'db' | 'clock' | 'keyring'>): ScimPushSender {
  return {
    async send({ recipient, body }) {
      const t = await findPushTarget(deps.db as Deps['db'], Number(recipient));
      // A target removed or switched off since: nobody to tell.
      if (!t || !t.enabled) return;
      const call = scimClient(t.url, deps.keyring.decrypt(t.secret_enc));
      const row = JSON.parse(body) as PushRow;
      try {
        if ('deletedGroup' in row) await pushGroupDeleted(deps as Deps, t, call, row.deletedGroup);
        else await pushPerson(deps as Deps, t, call, Number(row.account));
        await markPushOk(deps.db, t.id, deps.clock.now());
      } catch (e) {
        await markPushFailed(deps.db, t.id, deps.clock.now(), describe(e));
        throw e;
      }
    },
    close() {},
  };
}
