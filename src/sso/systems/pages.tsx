// Pages of the application-system registry (SSO-1), its owning organisations (set by the central
// authority) and its administrators per agency (ADM-6).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { page } from '../../platform/http/pages.ts';
import { notFound } from '../../platform/http/errors.ts';
import { typed, NoQuery } from '../../platform/http/contract.ts';
import { getSystem, listSystems } from './registry.ts';
import { setSystemOwner } from './owner.ts';
import { authorize } from '../../access/authorize.ts';
import { clientIp } from '../../platform/http/pages.ts';
import { systemAdministrators } from './admins.ts';
import { pageActor } from '../../admin/account-pages.tsx';
import { SystemsPage } from './views/systems.tsx';
import { SystemAdminsPage } from './views/admins.tsx';
import { SystemOwnerPage } from './views/owner.tsx';
import { applyScopePages } from './apply-scope-pages.tsx';
import { FORM_PAGE, OwnerForm, PAGE, SavedQuery, SystemCodeParams } from '../../admin/page-schemas.ts';

export function systemPages(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  app.get('/admin/systems', { schema: { querystring: SavedQuery, response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const systems = await listSystems(deps, actor);
    const saved = systems.find((s) => s.code === req.query.saved);
    return page(req, reply, (ctx) => <SystemsPage ctx={ctx} systems={systems} canManage={authorize(actor, 'system.manage')} saved={saved} />);
  });

  // The owning organisation (SSO-1): the central authority's; everyone else finds no such page.
  app.get('/admin/systems/:code/owner', { schema: { params: SystemCodeParams, querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    if (!authorize(actor, 'system.manage')) throw notFound();
    const system = await getSystem(deps, actor, req.params.code);
    return page(req, reply, (ctx) => <SystemOwnerPage ctx={ctx} v={{ system, value: system.ownerOid }} />);
  });

  app.post('/admin/systems/:code/owner', { schema: { params: SystemCodeParams, body: OwnerForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const code = req.params.code;
    const value = req.body.ownerOid ?? '';
    const r = await setSystemOwner(deps, actor, code, value, clientIp(req));
    if (r.ok) return reply.redirect(`/admin/systems?saved=${code}`, 303);
    const system = await getSystem(deps, actor, code);
    return page(req, reply, (ctx) => <SystemOwnerPage ctx={ctx} v={{ system, value, error: r.error }} />, 422);
  });

  app.get('/admin/systems/:code/admins', { schema: { params: SystemCodeParams, querystring: NoQuery(), response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const v = await systemAdministrators(deps, actor, req.params.code);
    return page(req, reply, (ctx) => <SystemAdminsPage ctx={ctx} v={v} />);
  });

  applyScopePages(fastify, deps);
}
