// Pages of the application-system registry (SSO-1) and its administrators per agency (ADM-6).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page } from '../platform/http/pages.ts';
import { notFound } from '../platform/http/errors.ts';
import { listSystems } from './systems.ts';
import { systemAdministrators } from './system-admins.ts';
import { pageActor } from './account-pages.tsx';
import { SystemsPage } from './views/systems.tsx';
import { SystemAdminsPage } from './views/system-admins.tsx';
import { applyScopePages } from './system-apply-scope-pages.tsx';

export function systemPages(app: FastifyInstance, deps: Deps): void {
  app.get('/admin/systems', async (req, reply) => {
    const systems = await listSystems(deps, await pageActor(deps, req));
    return page(req, reply, (ctx) => <SystemsPage ctx={ctx} systems={systems} />);
  });

  app.get<{ Params: { code: string } }>('/admin/systems/:code/admins', async (req, reply) => {
    const actor = await pageActor(deps, req);
    if (!/^[a-z0-9_]{1,40}$/.test(req.params.code)) throw notFound();
    const v = await systemAdministrators(deps, actor, req.params.code);
    return page(req, reply, (ctx) => <SystemAdminsPage ctx={ctx} v={v} />);
  });

  applyScopePages(app, deps);
}
