// The administrator pages (ADM-1..7) under /admin, registered by the composition root.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../platform/deps.ts';
import { accountPages } from './account-pages.tsx';
import { systemPages } from '../sso/systems/pages.tsx';
import { grantPages } from './grant-pages.tsx';

export function adminPageRoutes(app: FastifyInstance, deps: Deps): void {
  accountPages(app, deps);
  systemPages(app, deps);
  grantPages(app, deps);
}
