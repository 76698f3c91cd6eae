// HTTP for single sign-on (SSO-1..3): the OpenID Connect provider under /oidc (discovery, auth,
// token, userinfo, jwks, logout; oidc-provider on @fastify/middie) and its interaction pages under /sso.
import type { FastifyInstance } from 'fastify';
import middie from '@fastify/middie';
import type { Deps } from '../platform/deps.ts';
import type { ProviderHost } from './provider.ts';
import { linkRequest } from './request-link.ts';
import { interactionRoutes } from './interaction-routes.tsx';
import { endOpSession, opSession, opSessionsOf } from './logout.ts';

/** `host` is the instance's one provider, shared with the outbox's back-channel sender (server.ts). */
export async function ssoRoutes(app: FastifyInstance, deps: Deps, host: ProviderHost): Promise<void> {
  // Before middie's hook: the provider sees the Tessera context (session, language, CSRF, IP).
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/oidc/') || req.url === '/oidc') linkRequest(req);
  });
  await app.register(middie);
  app.use('/oidc', (req, res, next) => {
    host.handler(req.url).then((handle) => handle(req, res), next);
  });
  interactionRoutes(app, deps, host);

  // Tessera's own logout ends single sign-on too: this browser's provider session (logout), or
  // every provider session of the account (logout everywhere), with back-channel logout to the systems.
  app.addHook('preHandler', async (req) => {
    const route = req.routeOptions.url;
    const s = req.ctx?.session;
    if (req.method !== 'POST' || !s || (route !== '/logout' && route !== '/logout-everywhere')) return;
    const provider = await host.get();
    const sessions = route === '/logout-everywhere' ? await opSessionsOf(deps.db, s.accountId)
      : [await opSession(deps.db, req.cookies[provider.cookieName('session')])].filter((x) => x !== undefined);
    for (const op of sessions) {
      if (op.accountId === String(s.accountId)) await deps.db.transaction().execute((trx) => endOpSession(trx, deps.clock.now(), op));
    }
  });
}
