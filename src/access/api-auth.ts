// Bearer-token authentication for the JSON API. Registered as an onRequest hook on the
// encapsulated /api/v1 plugin, so every route declared there is behind it by construction and
// answers 401 before its input is even parsed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { loadActor } from './actor.ts';
import type { Actor } from './authorize.ts';
import { authenticateApiToken } from './tokens.ts';
import { apiMessage } from '../admin/messages.ts';

declare module 'fastify' {
  interface FastifyRequest { apiActor: Actor | null }
}

export function bearerAuth(deps: Deps) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const m = /^Bearer ([^\s]+)$/i.exec(String(req.headers.authorization ?? ''));
    const who = m ? await authenticateApiToken(deps.db, deps.clock.now(), m[1]) : null;
    if (!who) {
      // RFC 6750: say which scheme is expected; "invalid_token" only when one was presented.
      reply.header('www-authenticate', m ? 'Bearer realm="tessera", error="invalid_token"' : 'Bearer realm="tessera"');
      return reply.status(401).send({ error: 'api.unauthorized', message: apiMessage(req.ctx.lang, 'api.unauthorized') });
    }
    req.apiActor = await loadActor(deps, who.accountId);
  };
}

/** The authenticated caller; a route outside the authenticated plugin has none and fails loudly. */
export function apiActor(req: FastifyRequest): Actor {
  if (!req.apiActor) throw new Error(`${req.routeOptions.url} is not behind bearerAuth`);
  return req.apiActor;
}
