// The system's "who may apply" page (issue 9 item 14): read by any administrator, changed by the
// central authority (setApplyScope decides through authorize). POST-redirect-GET.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { page, clientIp } from '../../platform/http/pages.ts';
import { notFound } from '../../platform/http/errors.ts';
import { typed } from '../../platform/http/contract.ts';
import { authorize } from '../../access/authorize.ts';
import { pageActor } from '../../admin/account-pages.tsx';
import { applyScopeView, setApplyScope } from './apply-scope.ts';
import { ApplyScopePage } from './views/apply-scope.tsx';
import { ApplyScopeForm, FORM_PAGE, PAGE, SavedQuery, SystemCodeParams } from '../../admin/page-schemas.ts';

export function applyScopePages(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  app.get('/admin/systems/:code/apply-scope', { schema: { params: SystemCodeParams, querystring: SavedQuery, response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    if (!authorize(actor, 'system.read')) throw notFound();
    const v = await applyScopeView(deps, req.params.code);
    return page(req, reply, (ctx) => <ApplyScopePage ctx={ctx} v={{ ...v, canEdit: authorize(actor, 'system.manage'), saved: req.query.saved === '1' }} />);
  });

  app.post('/admin/systems/:code/apply-scope', { schema: { params: SystemCodeParams, body: ApplyScopeForm, response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const code = req.params.code;
    const typedIn = req.body.subtrees ?? '';
    const r = await setApplyScope(deps, actor, code, typedIn.split(/[\s,，、]+/), clientIp(req));
    if (r.ok) return reply.redirect(`/admin/systems/${code}/apply-scope?saved=1`, 303);
    const v = await applyScopeView(deps, code);
    return page(req, reply, (ctx) => <ApplyScopePage ctx={ctx} v={{ ...v, canEdit: true, typed: typedIn, invalid: r.invalid }} />, 422);
  });
}
