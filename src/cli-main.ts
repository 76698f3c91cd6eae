// OPS-6: the commands of `tessera` (src/cli.ts runs them as a process; tests may run them in-process): serve, migrate, bootstrap, org import|export FILE.csv, audit verify|seal,
// account unlock USERNAME, account import|export FILE.csv --as U, token create/revoke, grant add, system owner,
// inactivity list|run (GOV-2), campaign start|status|report (GOV-3), cert trust add|list|remove and cert crl refresh (AUTH-8). Exit codes: 0 done, 1 failed, 2 usage.
import fs from 'node:fs';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { firstStartNotes } from './start-notes.ts';
import { createDeps, buildApp } from './server.ts';
import type { Deps } from './platform/deps.ts';
import { bootstrapCentralAuthority, BootstrapError } from './accounts/bootstrap.ts';
import { audit } from './platform/audit.ts';
import { verifyAudit, describeReport } from './platform/audit-verify.ts';
import { readCheckpointFile } from './platform/audit-checkpoint.ts';
import { sealAndSign } from './platform/audit-sealer.ts';
import { flushPublications } from './platform/audit-publish.ts';
import { instanceName } from './governance/jobs/scheduler.ts';
import { importOrgs, exportOrgs } from './orgs/service.ts';
import { clearThrottle, usernameKey } from './auth/throttle.ts';
import { normaliseUsername } from './accounts/username.ts';
import { findAccountByUsername } from './accounts/store.ts';
import { maskUsername } from './auth/mask.ts';
import { moveAccount } from './accounts/service.ts';
import { HttpError } from './platform/http/errors.ts';
import { DataDirBusy, DatabaseUnavailable, SchemaOutdated } from './db/index.ts';
import { SecretKeyMismatch } from './platform/key-check.ts';
import { ADMIN_USAGE, tokenCommand, grantCommand, accountCsvCommand } from './admin/cli.ts';
import { SSO_USAGE, ssoCommand } from './sso/cli.ts';
import { SYSTEM_USAGE, systemCommand } from './sso/systems/cli.ts';
import { INACTIVITY_USAGE, inactivityCommand } from './governance/inactivity/cli.ts';
import { CERT_USAGE, certCommand } from './auth/cert/cli.ts';
import { CAMPAIGN_USAGE, campaignCommand } from './governance/campaigns/cli.ts';

const USAGE = `usage: tessera <command>
  serve                      start the server (migrates and bootstraps on first start)
  migrate                    apply database migrations (every other command but serve refuses an old schema)
  bootstrap                  create the central-authority account if there is none
  org import FILE.csv [--dry-run]   import organisations (idempotent; errors by line)
  org export FILE.csv        export organisations
  audit verify [--checkpoint FILE]   check the audit chain against its signed checkpoints (and
                             a copy of them outside the database); names every break
  audit seal                 chain every committed audit event now and sign a checkpoint
  account unlock USERNAME    clear a lock-out
  account move USERNAME OID  move an account to another unit (audited)
${ADMIN_USAGE}${SSO_USAGE}${SYSTEM_USAGE}${INACTIVITY_USAGE}${CAMPAIGN_USAGE}${CERT_USAGE}`;

/** The commands that live in their capability, all called alike; 2 means usage (printed here). */
const COMMANDS: Record<string, (deps: Deps, sub: string | undefined, args: string[], io: CliIo) => Promise<number>> = {
  system: systemCommand, sso: ssoCommand, cert: certCommand, inactivity: inactivityCommand, campaign: campaignCommand,
  token: tokenCommand, grant: grantCommand,
};

function printBootstrap(io: CliIo, config: Config, r: Awaited<ReturnType<typeof bootstrapCentralAuthority>>): void {
  if (!r.created) return;
  // Printed once, to the terminal only (never to the log).
  io.out(`\nCentral-authority account created.\n  username: ${r.username}\n`);
  if (r.generatedPassword) io.out(`  one-time password: ${r.generatedPassword}\n  (it must be changed at first login; it is not shown again)\n\n`);
  else io.out('  password: as given by TESSERA_BOOTSTRAP_PASSWORD\n\n');
  io.out(firstStartNotes(config, { sampleOrgs: r.sampleOrgs ?? 0, sampleSystems: r.sampleSystems ?? 0 }) + '\n');
}

/** Where a command writes; `tty` when stderr is a terminal (progress bars). */
export interface CliIo { out(s: string): void; err(s: string): void; tty: boolean }

/**
 * Runs `tessera ...argv` with `env` as its environment: the exit code (0 done, 1 failed, 2 usage),
 * or -1 when it keeps running (serve). Known failures are one line on stderr, never a stack trace.
 */
export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    return await main(argv, io, env);
  } catch (err) {
    // One clear line, no stack trace (issue 15); LOG_LEVEL=debug shows the stack of an unexpected error.
    const known = err instanceof ConfigError || err instanceof BootstrapError || err instanceof DataDirBusy
      || err instanceof DatabaseUnavailable || err instanceof SchemaOutdated || err instanceof SecretKeyMismatch;
    const line = err instanceof Error ? err.message.split('\n')[0] : String(err);
    io.err(`tessera: ${known ? line : `failed: ${line}`}\n`);
    if (!known && env.LOG_LEVEL === 'debug' && err instanceof Error) io.err(`${err.stack}\n`);
    return 1;
  }
}

async function main(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const [cmd, sub, arg, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help') { io.out(USAGE + '\n'); return cmd ? 0 : 2; }
  const config = loadConfig(env);
  // Only serve and migrate change the schema (issue 15); the others refuse an old one.
  const deps = await createDeps(config, { migrate: cmd === 'serve' || cmd === 'migrate' });
  const bootstrapOpts = { username: config.bootstrapUsername, password: config.bootstrapPassword };
  try {
    switch (cmd) {
      case 'serve': {
        // A crash after start is one JSON line in the JSON log, not a stack trace on stdout (issue 15).
        const crash = (err: unknown) => { deps.log.fatal({ err }, 'crashed'); process.exit(1); };
        process.on('uncaughtException', crash);
        process.on('unhandledRejection', crash);
        printBootstrap(io, config, await bootstrapCentralAuthority(deps, bootstrapOpts));
        if (config.production && !config.smtpUrl) {
          const warning = 'SMTP_URL is not set: no mail is sent (set-password links, one-time codes, notices wait in the outbox)';
          io.err(`tessera: WARNING: ${warning}\n`);
          deps.log.warn(warning);
        }
        const { app, lifecycle } = await buildApp(deps);
        // SIGTERM: not ready first (the balancer stops sending), then TESSERA_DRAIN_MS for requests
        // on their way, then close (waits for those in flight). A second signal stops at once.
        const close = async (signal: string) => {
          process.once(signal, () => process.exit(1));
          lifecycle.draining = true;
          deps.log.info({ signal, drainMs: config.drainMs }, 'draining: /readyz answers 503');
          if (config.drainMs > 0) await new Promise((r) => setTimeout(r, config.drainMs));
          await app.close();
          await deps.db.destroy();
          process.exit(0);
        };
        process.once('SIGINT', () => void close('SIGINT'));
        process.once('SIGTERM', () => void close('SIGTERM'));
        await app.listen({ host: config.host, port: config.port });
        io.out(`Tessera is serving ${config.baseUrl} (${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`})\n`);
        return -1; // keep running
      }
      case 'migrate':
        // createDeps applied them; migrations are forward-only: to go back, restore a backup (docs/operations.md).
        io.out('migrations are current\n');
        return 0;
      case 'bootstrap': {
        const r = await bootstrapCentralAuthority(deps, bootstrapOpts);
        if (!r.created) io.out('a central-authority account already exists; nothing to do\n');
        printBootstrap(io, config, r);
        return 0;
      }
      case 'org': {
        if (sub === 'import' && arg) {
          const dryRun = rest.includes('--dry-run');
          const r = await importOrgs(deps, null, fs.readFileSync(arg, 'utf8'), { dryRun }, (done, total) => {
            if (io.tty) io.err(`\r${progressBar(done, total)}`);
          });
          if (io.tty) io.err('\n');
          for (const e of r.errors) io.err(`line ${e.line}: ${e.message}\n`);
          for (const w of r.warnings) io.err(`warning: line ${w.line}: ${w.message}\n`);
          io.out(`${dryRun ? 'dry run: ' : ''}${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.errors.length} errors\n`);
          return r.errors.length ? 1 : 0;
        }
        if (sub === 'export' && arg) {
          const csv = await exportOrgs(deps);
          fs.writeFileSync(arg, csv);
          io.out(`exported to ${arg}\n`);
          return 0;
        }
        break;
      }
      case 'audit':
        if (sub === 'verify') {
          const i = argv.indexOf('--checkpoint');
          const file = i > 0 ? argv[i + 1] : undefined;
          if (i > 0 && !file) break;
          if (file && !fs.existsSync(file)) { io.err(`cannot read the checkpoint file ${file}\n`); return 1; }
          const r = describeReport(await verifyAudit(deps.db, file ? readCheckpointFile(file) : undefined));
          (r.ok ? io.out : io.err)(r.lines.join('\n') + '\n');
          return r.ok ? 0 : 1;
        }
        if (sub === 'seal') {
          const r = await sealAndSign(deps, instanceName());
          await flushPublications(15_000);
          io.out(`${r.sealed} events sealed; ${r.checkpoint ? `checkpoint #${r.checkpoint.id} signed at chain seq ${r.checkpoint.chainSeq}` : 'no new checkpoint (the head is already signed)'}\n`);
          return 0;
        }
        break;
      case 'account':
        if (sub === 'unlock' && arg) {
          const account = await findAccountByUsername(deps.db, arg);
          const cleared = await deps.db.transaction().execute(async (trx) => {
            const had = await clearThrottle(trx, usernameKey(deps.keyring, normaliseUsername(arg)));
            await audit(trx, deps.clock.now(), {
              actor: null, action: 'account.unlock', targetType: 'account', targetId: account?.id, orgOid: account?.unit_oid ?? null,
              details: { via: 'cli', username: maskUsername(normaliseUsername(arg)), wasLocked: had },
            });
            return had;
          });
          io.out(cleared ? `unlocked ${arg}\n` : `${arg} had no lock-out or failure count; nothing to clear\n`);
          return 0;
        }
        if (sub === 'move' && arg && rest[0]) {
          try {
            const r = await moveAccount(deps, null, arg, rest[0], null);
            if (!r.ok) { io.err(`cannot move ${arg}: ${r.error}\n`); return 1; }
            io.out(`moved ${arg} from ${r.from} to ${rest[0]}\n`);
            return 0;
          } catch (e) {
            if (e instanceof HttpError) { io.err(`no account ${arg}\n`); return 1; }
            throw e;
          }
        }
        if (sub === 'import' || sub === 'export') {
          const files = {
            ...io,
            read: (file: string) => fs.readFileSync(file, 'utf8'), write: (file: string, data: string) => fs.writeFileSync(file, data),
          };
          const code = await accountCsvCommand(deps, sub, argv.slice(2), files, { tty: Boolean(io.tty), bar: progressBar });
          if (code !== 2) return code;
        }
        break;
      default: {
        // Own keys only: `tessera constructor` is a usage error, not Object's constructor.
        if (!Object.hasOwn(COMMANDS, cmd)) break;
        const code = await COMMANDS[cmd](deps, sub, argv.slice(2), io);
        if (code !== 2) return code;
        break;
      }
    }
    io.err(USAGE + '\n');
    return 2;
  } finally {
    if (cmd !== 'serve') await deps.db.destroy();
  }
}

export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total === 0 ? 1 : done / total;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}
