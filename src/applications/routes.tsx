// HTTP for self-service account application and one-time codes (REQ-1, AUTH-6).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';

export async function applicationRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {
}
