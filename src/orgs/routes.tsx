// HTTP for organisations (ORG-1..4): tree, node page with effective policy, create, policy,
// move, OID look-up page and JSON API. Reads are public; changes need the central authority.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requirePermission } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import { isValidOid } from './oid.ts';
import { POLICY_KEYS } from './policy.ts';
import { getOrg, effectivePolicyFor, nodeSettings } from './store.ts';
import { createOrg, moveOrg, setPolicy, lookupOrgs, MAX_LOOKUP } from './service.ts';
import { TreePage, type AddForm } from './views/tree.tsx';
import { NodePage, type NodeView } from './views/node.tsx';
import { LookupPage } from './views/lookup.tsx';

type Form = Record<string, unknown>;
const str = (v: unknown, max = 500): string => (typeof v === 'string' ? v.slice(0, max) : '');
const ORG_FIELDS = ['oid', 'name', 'agency_code', 'tenant_code', 'kind'] as const;

const lookupQuery = {
  type: 'object',
  properties: { q: { type: 'string', maxLength: 200 } },
} as const;

const orgItem = {
  type: 'object',
  properties: {
    oid: { type: 'string' }, name: { type: 'string' }, agencyCode: { type: ['string', 'null'] },
    tenantCode: { type: ['string', 'null'] }, kind: { type: 'string' }, parentOid: { type: ['string', 'null'] },
  },
} as const;

export function orgRoutes(app: FastifyInstance, deps: Deps): void {
  // The forms are shown to the central authority; the POSTs check the permission themselves.
  const canManage = (req: FastifyRequest) => Boolean(req.ctx.session?.isCentral);

  const treePage = async (req: FastifyRequest, reply: FastifyReply, form?: AddForm, info?: string, status = 200) => {
    const orgs = await deps.db.selectFrom('orgs').selectAll().execute();
    return page(req, reply, (ctx) => <TreePage ctx={ctx} v={{ orgs, canManage: canManage(req), form, info }} />, status);
  };

  const nodePage = async (req: FastifyRequest, reply: FastifyReply, oid: string, extra: Partial<NodeView> = {}, status = 200) => {
    const org = isValidOid(oid) ? await getOrg(deps.db, oid) : undefined;
    if (!org) throw notFound();
    const [parent, children, effective, settings] = await Promise.all([
      org.parent_oid ? getOrg(deps.db, org.parent_oid) : undefined,
      deps.db.selectFrom('orgs').selectAll().where('parent_oid', '=', oid).orderBy('oid').execute(),
      effectivePolicyFor(deps.db, oid),
      nodeSettings(deps.db, oid),
    ]);
    const v: NodeView = { org, parent, children, effective, settings, canManage: canManage(req), ...extra };
    return page(req, reply, (ctx) => <NodePage ctx={ctx} v={v} />, status);
  };

  app.get('/orgs', async (req, reply) => treePage(req, reply));

  app.post<{ Body: Form }>('/orgs', async (req, reply) => {
    const actor = await requirePermission(deps, req, 'org.manage');
    const b = req.body ?? {};
    const values = Object.fromEntries(ORG_FIELDS.map((f) => [f, str(b[f], 300)]));
    const r = await createOrg(deps, actor, {
      oid: values.oid, name: values.name, agencyCode: values.agency_code, tenantCode: values.tenant_code, kind: values.kind,
    }, clientIp(req));
    if (!r.ok) return treePage(req, reply, { values, problems: r.problems }, undefined, 422);
    return reply.redirect(`/orgs/${r.value.oid}?done=created`, 303);
  });

  // Registered before /orgs/:oid so "lookup" is never read as an OID (find-my-way prefers static).
  app.get<{ Querystring: { q?: string } }>('/orgs/lookup', { schema: { querystring: lookupQuery } }, async (req, reply) => {
    const q = (req.query.q ?? '').trim();
    const items = q ? await lookupOrgs(deps.db, q, MAX_LOOKUP) : [];
    return page(req, reply, (ctx) => <LookupPage ctx={ctx} q={q} items={items} />);
  });

  app.get<{ Querystring: { q?: string } }>('/api/v1/orgs', {
    schema: { querystring: lookupQuery, response: { 200: { type: 'object', properties: { items: { type: 'array', items: orgItem } } } } },
  }, async (req) => ({ items: await lookupOrgs(deps.db, (req.query.q ?? '').trim(), MAX_LOOKUP) }));

  app.get<{ Params: { oid: string }; Querystring: { done?: string } }>('/orgs/:oid', async (req, reply) => {
    const done = req.query.done;
    const info = done === 'created' ? req.ctx.t('orgs.created') : done === 'policy' ? req.ctx.t('policy.saved')
      : done === 'moved' ? req.ctx.t('orgs.moved', { oid: req.params.oid }) : undefined;
    return nodePage(req, reply, req.params.oid, { info });
  });

  app.post<{ Params: { oid: string }; Body: Form }>('/orgs/:oid/policy', async (req, reply) => {
    const actor = await requirePermission(deps, req, 'policy.manage');
    const oid = req.params.oid;
    if (!isValidOid(oid)) throw notFound();
    const b = req.body ?? {};
    // Only the form's settings: other body fields (_csrf) are not policy keys.
    const values = Object.fromEntries(POLICY_KEYS.filter((k) => typeof b[k] === 'string').map((k) => [k, str(b[k])]));
    const r = await setPolicy(deps, actor, oid, values, clientIp(req));
    if (!r.ok) return nodePage(req, reply, oid, { policyForm: { values, problems: r.problems } }, 422);
    return reply.redirect(`/orgs/${oid}?done=policy`, 303);
  });

  app.post<{ Params: { oid: string }; Body: Form }>('/orgs/:oid/move', async (req, reply) => {
    const actor = await requirePermission(deps, req, 'org.manage');
    const oid = req.params.oid;
    if (!isValidOid(oid)) throw notFound();
    const value = str(req.body?.parent, 300);
    const r = await moveOrg(deps, actor, oid, value, clientIp(req));
    if (!r.ok) return nodePage(req, reply, oid, { moveForm: { value, problems: r.problems } }, 422);
    return reply.redirect(`/orgs/${r.value.newOid}?done=moved`, 303);
  });
}
