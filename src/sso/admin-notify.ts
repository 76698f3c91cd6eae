// Who hears of a change to a system's client (SSO-1, SSO-2, issue 9 item 1): every enabled account
// with an e-mail address whose grants allow 'client.manage' on the system, except the one who made
// the change. Written to the outbox in the change's transaction, so a change that rolls back mails
// no one and a committed one is never silent.
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { enqueueMail } from '../mail-templates.ts';
import { formatTime } from '../platform/web/format.ts';
import { properPrefixes } from '../orgs/oid.ts';
import { authorize, kindsThatMay, type Actor, type GrantKind } from '../access/authorize.ts';
import { accountName, clientAdministratorGrants } from './admin-notify-store.ts';

export interface Recipient { accountId: number; name: string; email: string }
/** What the notice needs of a managed system (admin-clients.ts's ManagedSystem has it; declared here so the two files do not import each other). */
interface NotifiedSystem { code: string; nameZh: string; category: string; ownerOid: string }

/** The system's administrators other than `exceptId`. The SQL narrows (kinds, the owner's ancestors); `authorize` decides. */
export async function clientAdministrators(trx: Db, system: Pick<NotifiedSystem, 'ownerOid' | 'category'>, exceptId: number): Promise<Recipient[]> {
  // A jurisdiction covers the owner exactly when it is the owner or one of its prefixes.
  const roots = [system.ownerOid, ...properPrefixes(system.ownerOid)];
  const rows = await clientAdministratorGrants(trx, kindsThatMay('client.manage'), roots, exceptId);
  const actors = new Map<number, { actor: Actor; name: string; email: string }>();
  for (const r of rows) {
    const e = actors.get(r.id) ?? { actor: { accountId: r.id, grants: [] }, name: r.name, email: r.email! };
    e.actor.grants.push({ kind: r.kind as GrantKind, jurisdictionOid: r.jurisdiction_oid, categories: r.categories });
    actors.set(r.id, e);
  }
  return [...actors.values()].filter((e) => authorize(e.actor, 'client.manage', { oid: system.ownerOid, category: system.category }))
    .map((e) => ({ accountId: e.actor.accountId, name: e.name, email: e.email }));
}

export interface ClientChange { change: 'redirectUris' | 'secret'; added?: string[]; removed?: string[] }

/** Mails each recipient about the change (zh-TW, the platform's language: accounts keep no language of their own). */
export async function mailClientChange(trx: Db, deps: Deps, now: Date, actorId: number, system: NotifiedSystem, to: Recipient[], c: ClientChange): Promise<void> {
  if (to.length === 0) return;
  const who = await accountName(trx, actorId);
  const url = `${deps.config.baseUrl.replace(/\/$/, '')}/admin/sso/${system.code}`;
  for (const r of to) {
    await enqueueMail(trx, now, {
      to: r.email, template: 'sso.clientChanged', lang: 'zh-TW',
      vars: { name: r.name, system: system.nameZh, change: c.change, added: c.added ?? [], removed: c.removed ?? [], actor: who ?? '', at: formatTime(now, 'zh-TW'), url },
    });
  }
}
