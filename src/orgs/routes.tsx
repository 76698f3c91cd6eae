// Placeholder until the organisation pages land in this same change.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
export function orgRoutes(_app: FastifyInstance, _deps: Deps): void {}
