// The owning organisation of an application system (SSO-1, issue 9 item 1): who may manage its
// client, secret, consent report and announcements follows from it (authorize 'client.manage').
// Set by the central authority (system.manage) on the registry's page, API or the operator's CLI
// (actor null); one transaction with its audit event.
import type { Deps } from '../../platform/deps.ts';
import type { MessageKey } from '../../platform/web/messages.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/http/errors.ts';
import { isValidOid } from '../../orgs/oid.ts';
import { CENTRAL_JURISDICTION } from '../../accounts/bootstrap.ts';
import { authorize, type Actor } from '../../access/authorize.ts';
import { findSystem, isRegisteredOrg, setOwnerOid } from './store.ts';

/** The national root owns the platform-wide systems; it is not a registered organisation. */
export const NATIONAL_ROOT = CENTRAL_JURISDICTION;

export type OwnerOutcome = { ok: true; before: string; after: string } | { ok: false; error: MessageKey };

/** Refusals of the input, before any write: a malformed OID, or one that is neither registered nor the national root. */
async function ownerError(deps: Deps, oid: string): Promise<MessageKey | null> {
  if (!isValidOid(oid)) return 'admin.systems.owner.invalid';
  if (oid === NATIONAL_ROOT) return null;
  return await isRegisteredOrg(deps.db, oid) ? null : 'admin.systems.owner.unknown';
}

export async function setSystemOwner(deps: Deps, actor: Actor | null, code: string, ownerOid: string, ip: string | null): Promise<OwnerOutcome> {
  if (actor && !authorize(actor, 'system.manage')) throw notFound();
  const system = await findSystem(deps.db, code);
  if (!system) throw notFound();
  const oid = ownerOid.trim();
  const error = await ownerError(deps, oid);
  if (error) return { ok: false, error };
  if (oid === system.owner_oid) return { ok: true, before: oid, after: oid };
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await setOwnerOid(trx, code, oid);
    await audit(trx, now, {
      actor: actor?.accountId ?? null, action: 'system.owner', targetType: 'application_system', targetId: code, orgOid: oid, ip,
      details: { before: system.owner_oid, after: oid },
    });
  });
  return { ok: true, before: system.owner_oid, after: oid };
}
