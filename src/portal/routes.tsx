// HTTP for the portal home and announcements (SSO-4, SSO-5, ACC-6).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';

export async function portalRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {
}
