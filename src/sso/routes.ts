// HTTP for single sign-on (OpenID Connect provider, clients, consent; SSO-1..3).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';

export async function ssoRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {
}
