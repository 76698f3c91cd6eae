// Access for every request (AUTH-10, ADM-1): session resolution as one Fastify plugin registered by the
// composition root after the platform's request context: it adds the signed-in session to
// `req.ctx` (and the layout menu's user), so src/platform/ never needs the auth capability's types.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { SESSION_COOKIE } from '../platform/http/context.ts';
import { resolveSession, type ActiveSession } from '../auth/sessions.ts';

declare module '../platform/http/context.ts' {
  interface RequestContext {
    session: ActiveSession | null;
    /** The cookie named a session that has timed out: the login page says so. */
    sessionExpired: boolean;
  }
}

async function accessPlugin(app: FastifyInstance, opts: { deps: Deps }): Promise<void> {
  const { deps } = opts;
  app.addHook('onRequest', async (req, reply) => {
    const lookup = req.url.startsWith('/static/') ? { status: 'none' as const }
      : await resolveSession(deps.db, deps.clock, req.cookies[SESSION_COOKIE]);
    if (lookup.status === 'expired') reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const s = lookup.status === 'active' ? lookup.session : null;
    req.ctx.session = s;
    req.ctx.sessionExpired = lookup.status === 'expired';
    req.ctx.user = s ? { username: s.username, name: s.name, isCentral: s.isCentral, isAdmin: s.isAdmin, mustChangePassword: s.mustChangePassword } : undefined;
  });
}
// Not encapsulated (what fastify-plugin does): the hook must run for every route of the app.
(accessPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export { accessPlugin };
