// SSO-6: the SCIM tokens page under an application system (/admin/systems/{code}/scim-tokens):
// the same use cases as the API (tokens.ts), which decide through authorize.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { page, clientIp } from '../platform/http/pages.ts';
import { typed, Type, Field, FormBody, Closed, Id, NoQuery } from '../platform/http/contract.ts';
import { pageActor } from '../admin/account-pages.tsx';
import { FORM_PAGE, PAGE, SystemCodeParams } from '../admin/page-schemas.ts';
import { issueScimToken, listScimTokens, revokeScimToken } from './tokens.ts';
import { ScimTokensPage, type ScimTokensView } from './views/tokens.tsx';
import { SCIM_PREFIX } from './schemas.ts';
import { listPushTargets, removePushTarget, setPushTarget } from './push-targets.ts';
import type { PushSectionView } from './views/push.tsx';

const IssueForm = FormBody({ jurisdictionOid: Field(250), label: Field(100), days: Field(10) });
const RevokeParams = Closed({ code: SystemCodeParams.properties.code, id: Id() });
const RevokedQuery = Closed({ revoked: Type.Optional(Type.String({ maxLength: 2 })), pushRemoved: Type.Optional(Type.String({ maxLength: 2 })) });
const PushForm = FormBody({ pushOid: Field(250), pushUrl: Field(2000), pushSecret: Field(4000) });

export function scimTokenPages(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);
  const view = async (actor: Awaited<ReturnType<typeof pageActor>>, code: string, lang: string, extra: Partial<ScimTokensView> = {}, push: Partial<PushSectionView> = {}): Promise<ScimTokensView> => {
    const r = await listScimTokens(deps, actor, code);
    const targets = await listPushTargets(deps, actor, code);
    return {
      system: { code: r.system.code, name: lang === 'en' ? r.system.name_en : r.system.name_zh, category: r.system.category }, tokens: r.tokens, ...extra,
      push: { systemCode: r.system.code, targets, ...push },
    };
  };

  app.get('/admin/systems/:code/scim-tokens', { schema: { params: SystemCodeParams, querystring: RevokedQuery, response: PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const v = await view(actor, req.params.code, req.ctx.lang, { revoked: req.query.revoked === '1' }, { removed: req.query.pushRemoved === '1' });
    return page(req, reply, (ctx) => <ScimTokensPage ctx={ctx} v={v} />);
  });

  app.post('/admin/systems/:code/scim-tokens', { schema: { params: SystemCodeParams, body: IssueForm, response: { ...FORM_PAGE, 201: PAGE[200] } } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const typedIn = { jurisdictionOid: req.body.jurisdictionOid?.trim() ?? '', label: req.body.label ?? '', days: req.body.days?.trim() || '180' };
    const days = /^[0-9]{1,3}$/.test(typedIn.days) ? Number(typedIn.days) : 0;
    const r = await issueScimToken(deps, actor, req.params.code, { jurisdictionOid: typedIn.jurisdictionOid, label: typedIn.label, days }, clientIp(req));
    if (!r.ok) {
      const v = await view(actor, req.params.code, req.ctx.lang, { typed: typedIn, error: r.error });
      return page(req, reply, (ctx) => <ScimTokensPage ctx={ctx} v={v} />, 422);
    }
    // Shown once, on this answer; only the hash is kept.
    const v = await view(actor, req.params.code, req.ctx.lang, { issued: { token: r.token, expiresAt: r.expiresAt, scimBaseUrl: deps.config.baseUrl.replace(/\/$/, '') + SCIM_PREFIX } });
    return page(req, reply, (ctx) => <ScimTokensPage ctx={ctx} v={v} />, 201);
  });

  app.post('/admin/systems/:code/scim-tokens/:id/revoke', { schema: { params: RevokeParams, body: FormBody({}), querystring: NoQuery(), response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    await revokeScimToken(deps, actor, req.params.code, req.params.id, clientIp(req));
    return reply.redirect(`/admin/systems/${req.params.code}/scim-tokens?revoked=1`, 303);
  });

  // SSO-6: SCIM push endpoints of the system, on the same page.
  app.post('/admin/systems/:code/scim-push', { schema: { params: SystemCodeParams, body: PushForm, response: { ...FORM_PAGE, 201: PAGE[200] } } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    const typedIn = { jurisdictionOid: req.body.pushOid?.trim() ?? '', url: req.body.pushUrl?.trim() ?? '' };
    const r = await setPushTarget(deps, actor, req.params.code, { ...typedIn, secret: req.body.pushSecret ?? '' }, clientIp(req));
    const v = r.ok
      ? await view(actor, req.params.code, req.ctx.lang, {}, { saved: r.queued })
      : await view(actor, req.params.code, req.ctx.lang, {}, { typed: typedIn, error: { field: r.field, key: r.error } });
    return page(req, reply, (ctx) => <ScimTokensPage ctx={ctx} v={v} />, r.ok ? 201 : 422);
  });

  app.post('/admin/systems/:code/scim-push/:id/remove', { schema: { params: RevokeParams, body: FormBody({}), querystring: NoQuery(), response: FORM_PAGE } }, async (req, reply) => {
    const actor = await pageActor(deps, req);
    await removePushTarget(deps, actor, req.params.code, req.params.id, clientIp(req));
    return reply.redirect(`/admin/systems/${req.params.code}/scim-tokens?pushRemoved=1`, 303);
  });
}
