// The database (OPS-1, OPS-2): embedded PGlite (default) or PostgreSQL via pg when DATABASE_URL is set.
// One SQL dialect either way; migrations are forward-only and run at start.
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, PGliteDialect, sql } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import type { Database } from './types.ts';
import * as m001 from './migrations/001_foundation.ts';
import * as m002 from './migrations/002_outbox.ts';
import * as m003 from './migrations/003_admin.ts';
import * as m004 from './migrations/004_tenant.ts';
import * as m005 from './migrations/005_account_search.ts';
import * as m006 from './migrations/006_captcha_expiry.ts';
import * as m007 from './migrations/007_sso.ts';
import * as m008 from './migrations/008_portal.ts';
import * as m009 from './migrations/009_requests.ts';
import * as m010 from './migrations/010_applications.ts';
import * as m011 from './migrations/011_system_owner.ts';
import * as m012 from './migrations/012_system_apply_scope.ts';
import * as m013 from './migrations/013_jobs.ts';
import * as m014 from './migrations/014_passkeys.ts';
import * as m015 from './migrations/015_audit_seal.ts';
import * as m016 from './migrations/016_key_check.ts';
import * as m021 from './migrations/021_reliable_logout.ts';
import * as m023 from './migrations/023_reminders.ts';
import * as m024 from './migrations/024_usage_rules.ts';
import * as m025 from './migrations/025_incident_statistics.ts';
import * as m018 from './migrations/018_scim.ts';
import * as m019 from './migrations/019_certificates.ts';
import * as m022 from './migrations/022_campaigns.ts';
import * as m017 from './migrations/017_incidents.ts';
import * as m026 from './migrations/026_campaign_signoff.ts';
import * as m027 from './migrations/027_cert_reminders.ts';
import * as m028 from './migrations/028_scim_push.ts';

export type Db = Kysely<Database>;

const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_outbox': m002,
  '003_admin': m003,
  '004_tenant': m004,
  '005_account_search': m005,
  '006_captcha_expiry': m006,
  '007_sso': m007,
  '008_portal': m008,
  '009_requests': m009,
  '010_applications': m010,
  '011_system_owner': m011,
  '012_system_apply_scope': m012,
  '013_jobs': m013,
  '014_passkeys': m014,
  '015_audit_seal': m015,
  '016_key_check': m016,
  '021_reliable_logout': m021,
  '023_reminders': m023,
  '024_usage_rules': m024,
  '025_incident_statistics': m025,
  '018_scim': m018,
  '019_certificates': m019,
  '022_campaigns': m022,
  '017_incidents': m017,
  '026_campaign_signoff': m026,
  '027_cert_reminders': m027,
  '028_scim_push': m028,
};

export interface DbOptions {
  databaseUrl?: string;
  /** Directory for PGlite; undefined → in-memory (tests). */
  dataDir?: string;
  poolSize?: number;
  /** PostgreSQL timeouts (issue 15, OPS-2): connecting, one statement, a transaction left idle. */
  timeouts?: DbTimeouts;
  /** Called with every error a pooled connection raises while idle (a restart, a terminated backend). */
  onPoolError?: (err: Error) => void;
  /**
   * PGlite only: a data directory dumped by PGlite (`dumpDataDir`) to start from instead of an
   * empty one. The tests start every database from one migrated image: initdb and the migrations
   * cost seconds, loading the image under one.
   */
  pgliteImage?: Blob;
}

export interface DbTimeouts { connectMs: number; statementMs: number; idleInTransactionMs: number }

/** The pool behind a PostgreSQL Db, for the metrics (in use, waiting). */
const pools = new WeakMap<object, { pool: { totalCount: number; idleCount: number; waitingCount: number }; errors: number }>();

export interface PoolStats { total: number; idle: number; inUse: number; waiting: number; idleErrors: number }

/** Pool figures of a PostgreSQL Db; undefined for PGlite (one connection, no pool). */
export function poolStats(db: Db): PoolStats | undefined {
  const e = pools.get(db);
  if (!e) return undefined;
  const p = e.pool;
  return { total: p.totalCount, idle: p.idleCount, inUse: p.totalCount - p.idleCount, waiting: p.waitingCount, idleErrors: e.errors };
}

/**
 * Whether an error says the database cannot be reached right now (down, restarting, a terminated
 * connection, a timeout), as opposed to a fault of the statement: such a request answers 503.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
    // 08: connection exception; 57P01-57P05: shutdown, crash, cannot connect now; 53300: too many connections.
    if (/^08|^57P0[1-5]$|^53300$/.test(code)) return true;
    // 57014 query_canceled: the statement timeout.
    if (code === '57014') return true;
    const msg = typeof e.message === 'string' ? e.message : '';
    if (/Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|connection timeout|database did not answer/i.test(msg)) return true;
  }
  return false;
}

export class DatabaseUnavailable extends Error {}

/**
 * A statement whose text starts with this comment is sent to PostgreSQL as a named (prepared)
 * statement, parsed and planned once per connection instead of on every call: for the few hot
 * statements whose planning costs more than their execution (bench/oidc). Only for statements whose
 * text has a bounded set of shapes (values as parameters). PGlite ignores it.
 */
export const PREPARED = '/*prepared*/';

export async function openDb(opts: DbOptions): Promise<Db> {
  if (opts.databaseUrl) {
    const pg = await import('pg');
    const { createHash } = await import('node:crypto');
    // bigint (int8) ids and counters fit in a JS number for any realistic count.
    pg.default.types.setTypeParser(20, (v: string) => Number(v));
    const entry = { pool: undefined as unknown as { totalCount: number; idleCount: number; waitingCount: number }, errors: 0 };
    class PreparingClient extends pg.default.Client {
      constructor(...args: ConstructorParameters<typeof pg.default.Client>) {
        super(...args);
        // A connection ended by the server (restart, pg_terminate_backend) emits 'error' on its
        // client, idle in the pool or checked out by a request between two statements: without a
        // listener that is an uncaught exception and the process exits (issue 15). The request's
        // statement fails (503), and the pool drops the client when it comes back.
        this.on('error', (err) => { entry.errors++; opts.onPoolError?.(err); });
      }

      override query(...args: unknown[]): never {
        const [text, values, ...rest] = args;
        const query = super.query as (...a: unknown[]) => never;
        if (typeof text !== 'string' || !text.startsWith(PREPARED)) return query.apply(this, args);
        const name = `p${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
        return query.call(this, { name, text, values }, ...rest);
      }
    }
    const t = opts.timeouts ?? { connectMs: 5000, statementMs: 30_000, idleInTransactionMs: 60_000 };
    const pool = new pg.default.Pool({
      connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, Client: PreparingClient as never,
      // A database that does not answer fails a connect after connectMs instead of hanging start,
      // /readyz and every request; a statement or a forgotten transaction is ended by the server.
      connectionTimeoutMillis: t.connectMs,
      statement_timeout: t.statementMs || undefined,
      idle_in_transaction_session_timeout: t.idleInTransactionMs || undefined,
      // A server that stops answering mid-statement: the client gives up a little after the server would.
      query_timeout: t.statementMs ? t.statementMs + 2000 : undefined,
      keepAlive: true,
    });
    entry.pool = pool;
    // The pool re-emits an idle client's error; the client's own listener above has counted it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, entry);
    return db;
  }
  const release = opts.dataDir ? lockDataDir(opts.dataDir) : () => {};
  const { PGlite, types } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const pglite = await PGlite.create(opts.dataDir ?? 'memory://', {
    extensions: { pg_trgm },
    ...(opts.pgliteImage ? { loadDataDir: opts.pgliteImage } : {}),
    parsers: { [types.INT8]: (v: string) => Number(v) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  const destroy = db.destroy.bind(db);
  // PGlite writes some files (pg_internal.init) with its own modes when it closes: narrowed again.
  db.destroy = async () => { await destroy(); if (opts.dataDir) restrictTree(opts.dataDir); release(); };
  return db;
}

export class DataDirBusy extends Error {}

/**
 * PGlite is one process per data directory: a second one (say `tessera audit verify` while
 * `serve` runs) would corrupt it. A pid file refuses the second process; a stale one is taken over.
 */
/** pid files to remove when the process exits (one listener, however many times a directory is opened). */
const releaseOnExit = new Set<() => void>();
let exitListener = false;

function lockDataDir(dir: string): () => void {
  // The data directory holds the whole database and secret.key: the owner only (issue 15). The
  // umask covers what PGlite writes from now on; files of an older start are narrowed too.
  process.umask(0o077);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  restrictTree(dir);
  const file = path.join(dir, 'tessera.pid');
  const mine = String(process.pid);
  try {
    const holder = Number(fs.readFileSync(file, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new DataDirBusy(`the data directory ${dir} is in use by process ${holder}; stop it first (or use PostgreSQL for several processes)`);
    }
  } catch (e) {
    if (e instanceof DataDirBusy) throw e;
  }
  fs.writeFileSync(file, mine);
  const release = () => { try { if (fs.readFileSync(file, 'utf8') === mine) fs.unlinkSync(file); } catch { /* already gone */ } };
  releaseOnExit.add(release);
  if (!exitListener) { exitListener = true; process.once('exit', () => { for (const r of releaseOnExit) r(); }); }
  return () => { releaseOnExit.delete(release); release(); };
}

/** chmod go-rwx over a directory tree (data directories created before issue 15 were 0777/0666). */
function restrictTree(dir: string): void {
  for (const entry of [dir, ...fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f)))]) {
    try {
      const st = fs.lstatSync(entry);
      if (!st.isSymbolicLink() && (st.mode & 0o077)) fs.chmodSync(entry, st.mode & 0o700);
    } catch { /* removed meanwhile */ }
  }
}

function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

export function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export async function migrate(db: Db): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied (readiness). */
export async function migrationsCurrent(db: Db): Promise<boolean> {
  const list = await migrator(db).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}

/** How many known migrations the database has not applied yet. */
export async function pendingMigrations(db: Db): Promise<number> {
  const list = await migrator(db).getMigrations();
  return list.filter((m) => m.executedAt === undefined).length;
}

/** Commands other than serve and migrate use the schema as it is: an old one is refused (issue 15). */
export class SchemaOutdated extends Error {}

export async function requireCurrentSchema(db: Db): Promise<void> {
  const n = await pendingMigrations(db);
  if (n > 0) throw new SchemaOutdated(`the database schema is older than this version of Tessera (${n} migration${n === 1 ? '' : 's'} pending): run \`tessera migrate\` first (after a backup)`);
}

export type Readiness = 'ready' | 'migrations pending' | 'database unreachable' | 'secret key mismatch' | 'draining';

/**
 * Whether the database answers within timeoutMs, its schema is current and it was started with
 * this TESSERA_SECRET_KEY (/readyz, OPS-4). `keyCheck` compares the stored keyed check value.
 */
export async function databaseReady(db: Db, opts: { timeoutMs?: number; keyCheck?: (db: Db) => Promise<boolean> } = {}): Promise<Readiness> {
  const check = async (): Promise<Readiness> => {
    await sql`SELECT 1`.execute(db);
    if (!(await migrationsCurrent(db))) return 'migrations pending';
    if (opts.keyCheck && !(await opts.keyCheck(db))) return 'secret key mismatch';
    return 'ready';
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<Readiness>((resolve) => { timer = setTimeout(() => resolve('database unreachable'), opts.timeoutMs ?? 2000); }),
    ]);
  } catch {
    return 'database unreachable';
  } finally {
    clearTimeout(timer);
  }
}
