// HTTP for organisations (ORG-1..4): tree, node page with effective policy, create, policy,
// move, OID look-up page and JSON API. Reads are public; changes need the central authority.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { requirePermission } from '../access/actor.ts';
import { notFound } from '../platform/http/errors.ts';
import { isValidOid } from './oid.ts';
import { POLICY_KEYS } from './policy.ts';
import { getOrg, effectivePolicyFor, nodeSettings, allOrgs, childOrgs } from './store.ts';
import { createOrg, moveOrg, setPolicy, lookupOrgs, MAX_LOOKUP } from './service.ts';
import { TreePage, type AddForm } from './views/tree.tsx';
import { NodePage, type NodeView } from './views/node.tsx';
import { LookupPage } from './views/lookup.tsx';
import { typed, Type, Text, Field, FormBody, Query, NoQuery, Closed, PAGE, FORM_PAGE, ErrorBody, type Static } from '../platform/http/contract.ts';

const ORG_FIELDS = ['oid', 'name', 'agency_code', 'tenant_code', 'kind'] as const;
const orgForm = FormBody(Object.fromEntries(ORG_FIELDS.map((f) => [f, Field(300)])) as Record<(typeof ORG_FIELDS)[number], ReturnType<typeof Field>>);
/** The policy form: one field per setting, each a string the policy rules parse. */
const policyForm = FormBody(Object.fromEntries(POLICY_KEYS.map((k) => [k, Field(500)])) as Record<(typeof POLICY_KEYS)[number], ReturnType<typeof Field>>);
/** A node is named by its OID in the path; one that is not an OID is answered "not found", like an unknown one. */
const oidParams = Closed({ oid: Text(200) });

const lookupQuery = Query({ q: Type.Optional(Text(200, { description: 'Name fragment, agency code, tenant code or OID prefix' })) });

const orgItem = Type.Object({
  oid: Type.String(), name: Type.String(), agencyCode: Type.Union([Type.String(), Type.Null()]),
  tenantCode: Type.Union([Type.String(), Type.Null()]), kind: Type.String(), parentOid: Type.Union([Type.String(), Type.Null()]),
});

export function orgRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  // The forms are shown to the central authority; the POSTs check the permission themselves.
  const canManage = (req: FastifyRequest) => Boolean(req.ctx.session?.isCentral);

  const treePage = async (req: FastifyRequest, reply: FastifyReply, form?: AddForm, info?: string, status = 200) => {
    const orgs = await allOrgs(deps.db);
    return page(req, reply, (ctx) => <TreePage ctx={ctx} v={{ orgs, canManage: canManage(req), form, info }} />, status);
  };

  const nodePage = async (req: FastifyRequest, reply: FastifyReply, oid: string, extra: Partial<NodeView> = {}, status = 200) => {
    const org = isValidOid(oid) ? await getOrg(deps.db, oid) : undefined;
    if (!org) throw notFound();
    const [parent, children, effective, settings] = await Promise.all([
      org.parent_oid ? getOrg(deps.db, org.parent_oid) : undefined,
      childOrgs(deps.db, oid),
      effectivePolicyFor(deps.db, oid),
      nodeSettings(deps.db, oid),
    ]);
    const v: NodeView = { org, parent, children, effective, settings, canManage: canManage(req), ...extra };
    return page(req, reply, (ctx) => <NodePage ctx={ctx} v={v} />, status);
  };

  app.get('/orgs', { schema: { querystring: NoQuery(), response: PAGE } }, async (req, reply) => treePage(req, reply));

  app.post('/orgs', { schema: { body: orgForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await requirePermission(deps, req, 'org.manage');
    const b: Static<typeof orgForm> = req.body;
    const values = Object.fromEntries(ORG_FIELDS.map((f) => [f, b[f] ?? '']));
    const r = await createOrg(deps, actor, {
      oid: values.oid, name: values.name, agencyCode: values.agency_code, tenantCode: values.tenant_code, kind: values.kind,
    }, clientIp(req));
    if (!r.ok) return treePage(req, reply, { values, problems: r.problems }, undefined, 422);
    return reply.redirect(`/orgs/${r.value.oid}?done=created`, 303);
  });

  // Registered before /orgs/:oid so "lookup" is never read as an OID (find-my-way prefers static).
  app.get('/orgs/lookup', { schema: { querystring: lookupQuery, response: PAGE } }, async (req, reply) => {
    const q = (req.query.q ?? '').trim();
    const items = q ? await lookupOrgs(deps.db, q, MAX_LOOKUP) : [];
    return page(req, reply, (ctx) => <LookupPage ctx={ctx} q={q} items={items} />);
  });

  app.get('/api/v1/orgs', {
    schema: {
      summary: 'Public OID look-up by name fragment, agency code, tenant code or OID prefix (ORG-2)',
      security: [],
      querystring: lookupQuery,
      response: { 200: Type.Object({ items: Type.Array(orgItem) }, { description: 'Matching organisations' }), 400: ErrorBody },
    },
  }, async (req) => ({ items: await lookupOrgs(deps.db, (req.query.q ?? '').trim(), MAX_LOOKUP) }));

  app.get('/orgs/:oid', { schema: { params: oidParams, querystring: Query({ done: Field(20) }), response: PAGE } }, async (req, reply) => {
    const done = req.query.done;
    const info = done === 'created' ? req.ctx.t('orgs.created') : done === 'policy' ? req.ctx.t('policy.saved')
      : done === 'moved' ? req.ctx.t('orgs.moved', { oid: req.params.oid }) : undefined;
    return nodePage(req, reply, req.params.oid, { info });
  });

  app.post('/orgs/:oid/policy', { schema: { params: oidParams, body: policyForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await requirePermission(deps, req, 'policy.manage');
    const oid = req.params.oid;
    if (!isValidOid(oid)) throw notFound();
    const b: Static<typeof policyForm> = req.body;
    // Only the settings the form sent: one left out is not a change to it.
    const values = Object.fromEntries(POLICY_KEYS.filter((k) => b[k] !== undefined).map((k) => [k, b[k] as string]));
    const r = await setPolicy(deps, actor, oid, values, clientIp(req));
    if (!r.ok) return nodePage(req, reply, oid, { policyForm: { values, problems: r.problems } }, 422);
    return reply.redirect(`/orgs/${oid}?done=policy`, 303);
  });

  app.post('/orgs/:oid/move', { schema: { params: oidParams, body: FormBody({ parent: Field(300) }), response: FORM_PAGE } }, async (req, reply) => {
    const actor = await requirePermission(deps, req, 'org.manage');
    const oid = req.params.oid;
    if (!isValidOid(oid)) throw notFound();
    const value = req.body.parent ?? '';
    const r = await moveOrg(deps, actor, oid, value, clientIp(req));
    if (!r.ok) return nodePage(req, reply, oid, { moveForm: { value, problems: r.problems } }, 422);
    return reply.redirect(`/orgs/${r.value.newOid}?done=moved`, 303);
  });
}
