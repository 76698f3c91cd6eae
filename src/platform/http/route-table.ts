// Every route the app registers, with its declared schema, collected as it is registered. Tests
// walk this list: each route must declare its contract (contract.ts), each administrative route
// must refuse callers without a token or outside their jurisdiction, and the fuzz test feeds each
// one bad input. A new route that skips any of it fails the suite instead of shipping.
import type { FastifyInstance } from 'fastify';
import type { DeclaredSchema } from './contract.ts';

export interface RouteEntry { method: string; url: string; schema?: DeclaredSchema }

declare module 'fastify' {
  interface FastifyInstance { routeTable: RouteEntry[] }
}

/** Call first in buildApp, before any route or plugin, so that none is missed. */
export function collectRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) table.push({ method, url: r.url, schema: r.schema as DeclaredSchema | undefined });
  });
}
