// tessera <command>: serve, migrate, bootstrap, org import|export FILE.csv, audit verify|seal,
// account unlock USERNAME, account import|export FILE.csv --as U, token create/revoke, grant add, system owner,
// inactivity list|run (GOV-2). Exit codes: 0 done, 1 failed, 2 usage.
import fs from 'node:fs';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { firstStartNotes } from './start-notes.ts';
import { createDeps, buildApp } from './server.ts';
import { bootstrapCentralAuthority, BootstrapError } from './accounts/bootstrap.ts';
import { audit } from './platform/audit.ts';
import { verifyAudit, describeReport } from './platform/audit-verify.ts';
import { readCheckpointFile } from './platform/audit-checkpoint.ts';
import { sealAndSign } from './platform/audit-sealer.ts';
import { instanceName } from './governance/jobs/scheduler.ts';
import { importOrgs, exportOrgs } from './orgs/service.ts';
import { clearThrottle, usernameKey } from './auth/throttle.ts';
import { normaliseUsername } from './accounts/username.ts';
import { findAccountByUsername } from './accounts/store.ts';
import { maskUsername } from './auth/mask.ts';
import { moveAccount } from './accounts/service.ts';
import { HttpError } from './platform/http/errors.ts';
import { DataDirBusy } from './db/index.ts';
import { ADMIN_USAGE, tokenCommand, grantCommand, accountCsvCommand } from './admin/cli.ts';
import { SSO_USAGE, ssoCommand } from './sso/cli.ts';
import { SYSTEM_USAGE, systemCommand } from './sso/systems/cli.ts';
import { INACTIVITY_USAGE, inactivityCommand } from './governance/inactivity/cli.ts';

const USAGE = `usage: tessera <command>
  serve                      start the server (migrates and bootstraps on first start)
  migrate                    apply database migrations
  bootstrap                  create the central-authority account if there is none
  org import FILE.csv [--dry-run]   import organisations (idempotent; errors by line)
  org export FILE.csv        export organisations
  audit verify [--checkpoint FILE]   check the audit chain against its signed checkpoints (and
                             a copy of them outside the database); names every break
  audit seal                 chain every committed audit event now and sign a checkpoint
  account unlock USERNAME    clear a lock-out
  account move USERNAME OID  move an account to another unit (audited)
${ADMIN_USAGE}${SSO_USAGE}${SYSTEM_USAGE}${INACTIVITY_USAGE}`;

function printBootstrap(config: Config, r: Awaited<ReturnType<typeof bootstrapCentralAuthority>>): void {
  if (!r.created) return;
  // Printed once, to the terminal only (never to the log).
  process.stdout.write(`\nCentral-authority account created.\n  username: ${r.username}\n`);
  if (r.generatedPassword) process.stdout.write(`  one-time password: ${r.generatedPassword}\n  (it must be changed at first login; it is not shown again)\n\n`);
  else process.stdout.write('  password: as given by TESSERA_BOOTSTRAP_PASSWORD\n\n');
  process.stdout.write(firstStartNotes(config, { sampleOrgs: r.sampleOrgs ?? 0, sampleSystems: r.sampleSystems ?? 0 }) + '\n');
}

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, arg, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help') { process.stdout.write(USAGE + '\n'); return cmd ? 0 : 2; }
  const config = loadConfig();
  const deps = await createDeps(config);
  const bootstrapOpts = { username: config.bootstrapUsername, password: config.bootstrapPassword };
  try {
    switch (cmd) {
      case 'serve': {
        printBootstrap(config, await bootstrapCentralAuthority(deps, bootstrapOpts));
        const { app } = await buildApp(deps);
        const close = async () => { await app.close(); await deps.db.destroy(); process.exit(0); };
        process.once('SIGINT', close);
        process.once('SIGTERM', close);
        await app.listen({ host: config.host, port: config.port });
        process.stdout.write(`Tessera is serving ${config.baseUrl} (${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`})\n`);
        return -1; // keep running
      }
      case 'migrate':
        process.stdout.write('migrations are current\n');
        return 0;
      case 'bootstrap': {
        const r = await bootstrapCentralAuthority(deps, bootstrapOpts);
        if (!r.created) process.stdout.write('a central-authority account already exists; nothing to do\n');
        printBootstrap(config, r);
        return 0;
      }
      case 'org': {
        if (sub === 'import' && arg) {
          const dryRun = rest.includes('--dry-run');
          const r = await importOrgs(deps, null, fs.readFileSync(arg, 'utf8'), { dryRun }, (done, total) => {
            if (process.stderr.isTTY) process.stderr.write(`\r${progressBar(done, total)}`);
          });
          if (process.stderr.isTTY) process.stderr.write('\n');
          for (const e of r.errors) process.stderr.write(`line ${e.line}: ${e.message}\n`);
          for (const w of r.warnings) process.stderr.write(`warning: line ${w.line}: ${w.message}\n`);
          process.stdout.write(`${dryRun ? 'dry run: ' : ''}${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.errors.length} errors\n`);
          return r.errors.length ? 1 : 0;
        }
        if (sub === 'export' && arg) {
          const csv = await exportOrgs(deps);
          fs.writeFileSync(arg, csv);
          process.stdout.write(`exported to ${arg}\n`);
          return 0;
        }
        break;
      }
      case 'audit':
        if (sub === 'verify') {
          const i = argv.indexOf('--checkpoint');
          const file = i > 0 ? argv[i + 1] : undefined;
          if (i > 0 && !file) break;
          if (file && !fs.existsSync(file)) { process.stderr.write(`cannot read the checkpoint file ${file}\n`); return 1; }
          const r = describeReport(await verifyAudit(deps.db, file ? readCheckpointFile(file) : undefined));
          (r.ok ? process.stdout : process.stderr).write(r.lines.join('\n') + '\n');
          return r.ok ? 0 : 1;
        }
        if (sub === 'seal') {
          const r = await sealAndSign(deps, instanceName());
          process.stdout.write(`${r.sealed} events sealed; ${r.checkpoint ? `checkpoint #${r.checkpoint.id} signed at chain seq ${r.checkpoint.chainSeq}` : 'no new checkpoint (the head is already signed)'}\n`);
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
          process.stdout.write(cleared ? `unlocked ${arg}\n` : `${arg} had no lock-out or failure count; nothing to clear\n`);
          return 0;
        }
        if (sub === 'move' && arg && rest[0]) {
          try {
            const r = await moveAccount(deps, null, arg, rest[0], null);
            if (!r.ok) { process.stderr.write(`cannot move ${arg}: ${r.error}\n`); return 1; }
            process.stdout.write(`moved ${arg} from ${r.from} to ${rest[0]}\n`);
            return 0;
          } catch (e) {
            if (e instanceof HttpError) { process.stderr.write(`no account ${arg}\n`); return 1; }
            throw e;
          }
        }
        if (sub === 'import' || sub === 'export') {
          const io = {
            out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s),
            read: (file: string) => fs.readFileSync(file, 'utf8'), write: (file: string, data: string) => fs.writeFileSync(file, data),
          };
          const code = await accountCsvCommand(deps, sub, argv.slice(2), io, { tty: Boolean(process.stderr.isTTY), bar: progressBar });
          if (code !== 2) return code;
        }
        break;
      case 'system': {
        const code = await systemCommand(deps, sub, argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
        if (code !== 2) return code;
        break;
      }
      case 'sso': {
        const code = await ssoCommand(deps, sub, argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
        if (code !== 2) return code;
        break;
      }
      case 'inactivity': {
        const code = await inactivityCommand(deps, sub, argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
        if (code !== 2) return code;
        break;
      }
      case 'token':
      case 'grant': {
        const io = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) };
        const code = await (cmd === 'token' ? tokenCommand : grantCommand)(deps, sub, argv.slice(2), io);
        if (code !== 2) return code;
        break;
      }
    }
    process.stderr.write(USAGE + '\n');
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

main(process.argv.slice(2)).then((code) => { if (code >= 0) process.exit(code); }).catch((err) => {
  if (err instanceof ConfigError || err instanceof BootstrapError || err instanceof DataDirBusy) { process.stderr.write(`tessera: ${err.message}\n`); process.exit(1); }
  process.stderr.write(`tessera: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
