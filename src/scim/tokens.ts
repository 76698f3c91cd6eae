// SSO-6 ADM-2 ADM-7: SCIM bearer tokens. An administrator issues one for an application system,
// bound to a jurisdiction OID and the system's category, only where one of their own grants could
// assign that system's roles in that subtree (authorize 'role.assign'): nobody hands a system more
// than they hold. Stored hashed, shown once, listed, revoked and audited. At each request the
// token acts with its issuer's *current* grants narrowed to its subtree and category (scimActor),
// so a revoked grant or a disabled issuer silences the token at once.
import type { Deps } from '../platform/deps.ts';
import type { Db } from '../db/index.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { randomToken, sha256 } from '../platform/crypto.ts';
import { DAY, MINUTE } from '../platform/clock.ts';
import { isValidOid, isWithin } from '../orgs/oid.ts';
import { authorize, categoriesCover, kindsThatMay, type Actor, type Grant, type Scope } from '../access/authorize.ts';
import { findSystem } from '../sso/systems/store.ts';
import { findScimToken, findScimTokenByHash, insertScimToken, revokeScimTokenRow, scimTokensOf, touchScimToken } from './token-store.ts';

export const DEFAULT_SCIM_TOKEN_DAYS = 180;
export const MAX_SCIM_TOKEN_DAYS = 366;
const TOUCH_INTERVAL_MS = MINUTE;

/** What a SCIM request acts as: the token, its system and subtree, and the narrowed actor. */
export interface ScimCaller { tokenId: number; systemCode: string; category: string; root: string; actor: Actor }

export type IssueOutcome = { ok: true; id: number; token: string; expiresAt: Date } | { ok: false; error: 'scim.token.badOid' | 'scim.token.outside' | 'scim.token.badDays' };

/** The system an actor may manage SCIM tokens of: one of their grants may assign its roles somewhere. */
async function systemFor(deps: Deps, actor: Actor, code: string) {
  const s = await findSystem(deps.db, code);
  if (!s || !mayIssueSomewhere(actor, s.category)) throw notFound();
  return s;
}

/** Grants that may assign roles of `category`, as subtree roots (central: everything). */
export function tokenScope(actor: Actor, category: string): Scope {
  if (actor.grants.some((g) => g.kind === 'central')) return { all: true };
  const kinds = new Set(kindsThatMay('role.assign'));
  return { all: false, roots: [...new Set(actor.grants.filter((g) => kinds.has(g.kind) && categoriesCover(g.categories, [category])).map((g) => g.jurisdictionOid))].sort() };
}
const mayIssueSomewhere = (actor: Actor, category: string) => { const s = tokenScope(actor, category); return s.all || s.roots.length > 0; };

export async function issueScimToken(deps: Deps, actor: Actor, systemCode: string, input: { jurisdictionOid: string; label?: string | null; days?: number }, ip: string | null): Promise<IssueOutcome> {
  const s = await systemFor(deps, actor, systemCode);
  const root = input.jurisdictionOid.trim();
  if (!isValidOid(root)) return { ok: false, error: 'scim.token.badOid' };
  if (!authorize(actor, 'role.assign', { oid: root, category: s.category })) return { ok: false, error: 'scim.token.outside' };
  const days = input.days ?? DEFAULT_SCIM_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_SCIM_TOKEN_DAYS) return { ok: false, error: 'scim.token.badDays' };
  const label = input.label?.trim() || null;
  const token = randomToken(32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + days * DAY);
  const id = await deps.db.transaction().execute(async (trx) => {
    const tokenId = await insertScimToken(trx, { systemCode, root, issuedBy: actor.accountId, tokenHash: sha256(token), label, now, expiresAt });
    await audit(trx, now, {
      actor: actor.accountId, action: 'system.scimToken.create', targetType: 'system', targetId: systemCode, orgOid: root, ip,
      details: { system: systemCode, tokenId, jurisdictionOid: root, category: s.category, label, expiresAt: expiresAt.toISOString() },
    });
    return tokenId;
  });
  return { ok: true, id, token, expiresAt };
}

export async function listScimTokens(deps: Deps, actor: Actor, systemCode: string) {
  const s = await systemFor(deps, actor, systemCode);
  const rows = await scimTokensOf(deps.db, systemCode, tokenScope(actor, s.category));
  return { system: s, tokens: rows.map((r) => ({
    id: Number(r.id), jurisdictionOid: r.jurisdiction_oid, label: r.label, issuerName: r.issuer_name, createdAt: r.created_at, expiresAt: r.expires_at,
    revokedAt: r.revoked_at, lastUsedAt: r.last_used_at,
  })) };
}

/** Revokes one token of the system; out of reach (or another system's) is "not found". */
export async function revokeScimToken(deps: Deps, actor: Actor, systemCode: string, id: number, ip: string | null): Promise<{ revoked: boolean }> {
  const s = await systemFor(deps, actor, systemCode);
  const t = await findScimToken(deps.db, id);
  if (!t || t.system_code !== systemCode || !authorize(actor, 'role.assign', { oid: t.jurisdiction_oid, category: s.category })) throw notFound();
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const revoked = await revokeScimTokenRow(trx, id, now);
    if (revoked) {
      await audit(trx, now, {
        actor: actor.accountId, action: 'system.scimToken.revoke', targetType: 'system', targetId: systemCode, orgOid: t.jurisdiction_oid, ip,
        details: { system: systemCode, tokenId: id },
      });
    }
    return { revoked };
  });
}

/**
 * The issuer's grants narrowed to the token: each grant that covers the token's subtree and the
 * system's category becomes the same kind of grant over exactly that subtree and category (the
 * central authority's becomes a registration administrator's there). None: the token is powerless.
 */
export function narrowGrants(grants: Grant[], root: string, category: string): Grant[] {
  return grants.filter((g) => g.kind === 'central' || (isWithin(root, g.jurisdictionOid) && categoriesCover(g.categories, [category])))
    .map((g) => ({ kind: g.kind === 'central' ? 'registration_admin' : g.kind, jurisdictionOid: root, categories: [category] }));
}

/** The caller behind a presented SCIM token, or null: unknown, revoked, expired, issuer not enabled, or issuer without a covering grant. */
export async function authenticateScimToken(db: Db, now: Date, token: string): Promise<ScimCaller | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await findScimTokenByHash(db, sha256(token));
  if (!row || row.revoked_at || row.expires_at.getTime() <= now.getTime() || row.state !== 'enabled') return null;
  const issuerGrants: Grant[] = row.grants.map((g) => ({ kind: g.kind as Grant['kind'], jurisdictionOid: g.jurisdiction_oid, categories: g.categories }));
  const grants = narrowGrants(issuerGrants, row.jurisdiction_oid, row.category);
  if (grants.length === 0) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= TOUCH_INTERVAL_MS) await touchScimToken(db, Number(row.id), now);
  return { tokenId: Number(row.id), systemCode: row.system_code, category: row.category, root: row.jurisdiction_oid, actor: { accountId: Number(row.issued_by), grants } };
}
