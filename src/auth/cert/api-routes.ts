// AUTH-8, ADM-5 the JSON API of registered citizen certificates, behind the bearer token: the
// caller's own certificates (list, unbind) and, for an administrator, an account's within the
// jurisdiction (`account.view` to list, `account.update` to unbind; outside: 404, as every
// account route). The same use cases as the pages (service.ts), audited there.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { clientIp } from '../../platform/http/pages.ts';
import { notFound } from '../../platform/http/errors.ts';
import { apiActor, bearerAuth } from '../../access/api-auth.ts';
import { accountFor } from '../../admin/accounts.ts';
import { API_PREFIX } from '../../admin/api-routes.ts';
import { READ_ERRORS } from '../../admin/api-schemas.ts';
import { findLiveAccount } from '../../admin/account-store.ts';
import { typed, Type, Text, Closed, Id, DateTime, NoQuery, NoBody } from '../../platform/http/contract.ts';
import { listCertificates, removeCertificate } from './service.ts';
import type { BindingRow } from './store.ts';

const CertificateJson = Type.Object({
  id: Id(),
  commonName: Text(200, { description: 'The holder\'s name on the certificate (CN)' }),
  issuer: Text(2000, { description: 'The issuing authority\'s name' }),
  serial: Text(100, { description: 'Serial number (hex)' }),
  thumbprint: Text(100, { description: 'SHA-256 of the certificate (hex)' }),
  notAfter: DateTime(),
  registeredAt: DateTime(),
  lastUsedAt: Type.Union([DateTime(), Type.Null()]),
}, { description: 'A citizen certificate registered to the account (憑證註冊)' });
const CertificateList = Type.Object({ items: Type.Array(CertificateJson, { maxItems: 1000 }) }, { description: 'The account\'s registered certificates' });
const Removed = Type.Object({ removed: Type.Literal(true) }, { description: 'The certificate no longer signs in to the account' });

const json = (b: BindingRow) => ({
  id: b.id, commonName: b.common_name, issuer: b.issuer, serial: b.serial, thumbprint: b.thumbprint,
  notAfter: new Date(b.not_after).toISOString(), registeredAt: new Date(b.created_at).toISOString(),
  lastUsedAt: b.last_used_at ? new Date(b.last_used_at).toISOString() : null,
});

export function certificateApiRoutes(fastify: FastifyInstance, deps: Deps): void {
  fastify.register(async (app) => {
    app.decorateRequest('apiActor', null);
    app.addHook('onRequest', bearerAuth(deps));
    const api = typed(app);
    const own = async (accountId: number) => { const a = await findLiveAccount(deps.db, accountId); if (!a) throw notFound(); return a; };

    api.get('/me/certificates', {
      schema: { summary: 'The caller\'s registered citizen certificates (AUTH-8)', querystring: NoQuery(), response: { 200: CertificateList, ...READ_ERRORS } },
    }, async (req) => ({ items: (await listCertificates(deps, apiActor(req).accountId)).map(json) }));

    api.delete('/me/certificates/:certId', {
      schema: { summary: 'Unbind one of the caller\'s certificates (AUTH-8)', params: Closed({ certId: Id() }), body: NoBody(), response: { 200: Removed, ...READ_ERRORS } },
    }, async (req) => {
      const actor = apiActor(req);
      if (!await removeCertificate(deps, actor.accountId, await own(actor.accountId), req.params.certId, clientIp(req))) throw notFound();
      return { removed: true as const };
    });

    api.get('/accounts/:id/certificates', {
      schema: {
        summary: 'An account\'s registered citizen certificates, within the caller\'s jurisdiction (ADM-5, AUTH-8)',
        params: Closed({ id: Id() }), querystring: NoQuery(), response: { 200: CertificateList, ...READ_ERRORS },
      },
    }, async (req) => {
      const a = await accountFor(deps, apiActor(req), req.params.id, 'account.view');
      return { items: (await listCertificates(deps, a.id)).map(json) };
    });

    api.delete('/accounts/:id/certificates/:certId', {
      schema: {
        summary: 'Unbind an account\'s certificate, within the caller\'s jurisdiction (ADM-5, AUTH-8)',
        params: Closed({ id: Id(), certId: Id() }), body: NoBody(), response: { 200: Removed, ...READ_ERRORS },
      },
    }, async (req) => {
      const actor = apiActor(req);
      const a = await accountFor(deps, actor, req.params.id, 'account.update');
      if (!await removeCertificate(deps, actor.accountId, a, req.params.certId, clientIp(req))) throw notFound();
      return { removed: true as const };
    });
  }, { prefix: API_PREFIX });
}
