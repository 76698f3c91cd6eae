// The system's "who may apply" page (issue 9 item 14): read by any administrator, changed by the
// central authority (setApplyScope decides through authorize). POST-redirect-GET.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { page, clientIp } from '../../platform/http/pages.ts';
import { notFound } from '../../platform/http/errors.ts';
import { authorize } from '../../access/authorize.ts';
import { pageActor } from '../../admin/account-pages.tsx';
import { applyScopeView, setApplyScope } from './apply-scope.ts';
import { ApplyScopePage } from './views/apply-scope.tsx';

const systemCode = (raw: string): string => {
  if (!/^[a-z0-9_]{1,40}$/.test(raw)) throw notFound();
  return raw;
};

export function applyScopePages(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { code: string }; Querystring: { saved?: string } }>('/admin/systems/:code/apply-scope', async (req, reply) => {
    const actor = await pageActor(deps, req);
    if (!authorize(actor, 'system.read')) throw notFound();
    const v = await applyScopeView(deps, systemCode(req.params.code));
    return page(req, reply, (ctx) => <ApplyScopePage ctx={ctx} v={{ ...v, canEdit: authorize(actor, 'system.manage'), saved: req.query.saved === '1' }} />);
  });

  app.post<{ Params: { code: string }; Body: { subtrees?: unknown } }>('/admin/systems/:code/apply-scope', async (req, reply) => {
    const actor = await pageActor(deps, req);
    const code = systemCode(req.params.code);
    const typed = typeof req.body?.subtrees === 'string' ? req.body.subtrees.slice(0, 10_000) : '';
    const r = await setApplyScope(deps, actor, code, typed.split(/[\s,，、]+/), clientIp(req));
    if (r.ok) return reply.redirect(`/admin/systems/${code}/apply-scope?saved=1`, 303);
    const v = await applyScopeView(deps, code);
    return page(req, reply, (ctx) => <ApplyScopePage ctx={ctx} v={{ ...v, canEdit: true, typed, invalid: r.invalid }} />, 422);
  });
}
