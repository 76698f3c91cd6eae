// The administrator pages (ADM-3..6) under /admin, registered by the composition root.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { accountPages } from './account-pages.tsx';
import { systemPages } from './system-pages.tsx';

export function adminPageRoutes(app: FastifyInstance, deps: Deps): void {
  accountPages(app, deps);
  systemPages(app, deps);
}
