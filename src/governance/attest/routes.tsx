// HTTP of holder attestation (GOV-3, seed 002 D-06-20): /account/attestations (the holder's open
// reviews and an answer form each) and its POST per review. Declared contracts, one service call.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { page, clientIp } from '../../platform/http/pages.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { MessageKey } from '../../platform/web/messages.ts';
import { requireSession } from '../../access/actor.ts';
import { rolesWithSystems } from '../../admin/role-store.ts';
import { typed, Closed, Field, FormBody, Query, Id, PAGE, FORM_PAGE } from '../../platform/http/contract.ts';
import { attest, attestationsOf } from './service.ts';
import { AttestPage, type AttestView } from './page.tsx';

export function attestRoutes(fastify: FastifyInstance, deps: Deps): void {
  const app = typed(fastify);

  const show = async (req: FastifyRequest, reply: FastifyReply, extra: Partial<AttestView> = {}, status = 200) => {
    const s = requireSession(req);
    const [items, roles] = await Promise.all([attestationsOf(deps, s.accountId), rolesWithSystems(deps.db)]);
    const names = new Map(roles.map((r) => [r.code, req.ctx.lang === 'en' ? `${r.system_en}: ${r.name_en}` : `${r.system_zh}：${r.name_zh}`]));
    return page(req, reply, (ctx) => <AttestPage ctx={ctx} v={{ items, roleName: (c) => names.get(c) ?? c, ...extra }} />, status);
  };

  app.get('/account/attestations', { schema: { querystring: Query({ done: Field(10) }), response: PAGE } }, async (req, reply) =>
    show(req, reply, { done: req.query.done === '1' }));

  app.post('/account/attestations/:id', { schema: { params: Closed({ id: Id() }), body: FormBody({ answer: Field(20), note: Field(1000) }), response: FORM_PAGE } }, async (req, reply) => {
    const s = requireSession(req);
    try {
      await attest(deps, s.accountId, req.params.id, { answer: req.body.answer ?? '', note: req.body.note }, clientIp(req));
    } catch (e) {
      if (!(e instanceof HttpError) || e.status !== 422) throw e;
      return show(req, reply, { error: { runId: req.params.id, key: e.messageKey as MessageKey } }, 422);
    }
    return reply.redirect('/account/attestations?done=1', 303);
  });
}
