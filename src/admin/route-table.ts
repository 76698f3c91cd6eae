// Every route the app registers, collected as it is registered. Tests walk this list to prove
// that each administrative route refuses callers without a token or outside their jurisdiction,
// so a new route that skips the check fails the suite instead of shipping.
import type { FastifyInstance } from 'fastify';

export interface RouteEntry { method: string; url: string }

declare module 'fastify' {
  interface FastifyInstance { routeTable: RouteEntry[] }
}

/** Call first in buildApp, before any route or plugin, so that none is missed. */
export function collectRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) table.push({ method, url: r.url });
  });
}
