// HTTP for the request engine, review queue and history (REQ-2..5).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';

export async function requestRoutes(_app: FastifyInstance, _deps: Deps): Promise<void> {
}
