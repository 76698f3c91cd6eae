// Starts a real Tessera server for a test file: embedded PGlite in memory by default, or a fresh
// database on the PostgreSQL server named by TESSERA_TEST_PG_URL (the suite's second pass).
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { createDeps, buildApp } from '../../src/server.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { bootstrapCentralAuthority } from '../../src/accounts/bootstrap.ts';
import type { Deps } from '../../src/platform/deps.ts';
import type { FastifyInstance } from 'fastify';
import { migratedPgDatabase, migratedPgliteImage } from './db-image.ts';

export const ADMIN_USERNAME = 'centraladmin';
export const ADMIN_PASSWORD = 'Tessera-Bridge-42';

export interface TestApp {
  url: string;
  deps: Deps;
  app: FastifyInstance;
  clock: ManualClock;
  /** The answer of the most recently issued captcha. */
  lastCaptcha(): string;
  close(): Promise<void>;
}

export { freshPgDatabase } from './db-image.ts';

export async function startTestApp(opts: { env?: Record<string, string>; clock?: ManualClock; bootstrap?: boolean; logLines?: string[] } = {}): Promise<TestApp> {
  const pgAdmin = process.env.TESSERA_TEST_PG_URL;
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'test',
    TESSERA_ARGON2_MEMORY_KIB: '4096', TESSERA_ARGON2_TIME: '1',
    // The job scheduler stays off unless a test turns it on: tests that move the clock run jobs themselves.
    TESSERA_JOBS_POLL_MS: '0',
    // Nor does the audit sealer: tests that look at the chain seal it themselves (issue 15).
    TESSERA_AUDIT_SEAL_MS: '0',
    ...(pgAdmin && !opts.env?.DATABASE_URL ? { DATABASE_URL: await migratedPgDatabase(pgAdmin), TESSERA_SECRET_KEY: crypto.randomBytes(32).toString('hex') } : {}),
    ...opts.env,
  };
  const config = loadConfig(env);
  const clock = opts.clock ?? new ManualClock('2026-11-25T02:00:00Z');
  let captcha = '';
  const deps = await createDeps({ ...config, port: 0 }, {
    clock, inMemory: true,
    pgliteImage: env.DATABASE_URL ? undefined : await migratedPgliteImage(),
    logDestination: opts.logLines ? { write: (line: string) => { opts.logLines!.push(line); } } : undefined,
    captchaCode: () => (captcha = String(crypto.randomInt(100000, 1000000))),
  });
  if (opts.bootstrap !== false) await bootstrapCentralAuthority(deps, { username: ADMIN_USERNAME, password: ADMIN_PASSWORD });
  const { app } = await buildApp(deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  // Links in mail point at TESSERA_BASE_URL; known only now that the port is chosen.
  if (!opts.env?.TESSERA_BASE_URL) deps.config.baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`, deps, app, clock,
    lastCaptcha: () => captcha,
    close: async () => { await app.close(); await deps.db.destroy(); },
  };
}
