// The actor behind a request (ADM-1, ADM-7): the signed-in session, its account's administration
// grants, and the guard every page uses to ask `authorize` before it does anything.
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { LoginRequired, notFound } from '../platform/http/errors.ts';
import type { ActiveSession } from '../auth/sessions.ts';
import { authorize, type Action, type Actor, type Target } from './authorize.ts';
import { grantsOf, incidentRolesOf } from './actor-store.ts';

export function requireSession(req: FastifyRequest): ActiveSession {
  const s = req.ctx.session;
  if (!s) throw new LoginRequired();
  return s;
}

export async function loadActor(deps: Deps, accountId: number): Promise<Actor> {
  return { accountId, grants: await grantsOf(deps.db, accountId), incidentRoles: await incidentRolesOf(deps.db, accountId) };
}

/** Signed in and allowed, or the request ends: login page when anonymous, "not found" when denied. */
export async function requirePermission(deps: Deps, req: FastifyRequest, action: Action, target: Target = {}): Promise<Actor> {
  const s = requireSession(req);
  const actor = await loadActor(deps, s.accountId);
  if (!authorize(actor, action, target)) throw notFound();
  return actor;
}
