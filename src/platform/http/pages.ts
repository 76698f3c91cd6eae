// Page helpers shared by route modules: render a page with the request's context, guards.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Deps } from '../deps.ts';
import { renderPage, type PageContext } from '../web/layout.tsx';
import { pageContext, sendHtml } from './context.ts';
import { LoginRequired, notFound } from './errors.ts';
import { authorize, type Action, type Actor, type Target, type Grant, type GrantKind } from '../../admin/authorize.ts';
import type { ActiveSession } from '../../auth/sessions.ts';

export function page(req: FastifyRequest, reply: FastifyReply, view: (ctx: PageContext) => VNode, status = 200) {
  return sendHtml(reply, renderPage(view(pageContext(req))), status);
}

export function requireSession(req: FastifyRequest): ActiveSession {
  const s = req.ctx.session;
  if (!s) throw new LoginRequired();
  return s;
}

export async function loadActor(deps: Deps, accountId: number): Promise<Actor> {
  const rows = await deps.db.selectFrom('admin_grants').select(['kind', 'jurisdiction_oid', 'categories'])
    .where('account_id', '=', accountId).execute();
  const grants: Grant[] = rows.map((r) => ({ kind: r.kind as GrantKind, jurisdictionOid: r.jurisdiction_oid, categories: r.categories }));
  return { accountId, grants };
}

/** Signed in and allowed, or the request ends: login page when anonymous, "not found" when denied. */
export async function requirePermission(deps: Deps, req: FastifyRequest, action: Action, target: Target = {}): Promise<Actor> {
  const s = requireSession(req);
  const actor = await loadActor(deps, s.accountId);
  if (!authorize(actor, action, target)) throw notFound();
  return actor;
}

export const clientIp = (req: FastifyRequest): string => req.ip;
