// HTTP for administering single sign-on: each system's OIDC client, its consent report, and the user's own consents (SSO-2, SSO-3).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';

export async function ssoAdminRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {
}
