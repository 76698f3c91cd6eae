// tessera cert trust add FILE [--label L] [--crl-url URL] | list | remove ID (AUTH-8): the trust
// configuration from the command line (operator's setup), audited like the page and the API.
// Also `tessera cert crl refresh`: the CRL job now, outside its schedule.
import fs from 'node:fs';
import type { Deps } from '../../platform/deps.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { translator } from '../../messages.ts';
import { runJobNow } from '../../governance/jobs/scheduler.ts';
import { jobNamed } from '../../governance/jobs/table.ts';
import { addTrust, listTrustItems, removeTrust } from './trust.ts';

export const CERT_USAGE = `  cert trust add FILE [--label NAME] [--crl-url URL]   trust a root or intermediate CA (PEM or DER)
  cert trust list            the trusted certificate authorities (id, kind, key id, subject)
  cert trust remove ID       stop trusting one
  cert crl refresh           fetch and load the trusted issuers' CRLs now
`;

interface Io { out(s: string): void; err(s: string): void }

export async function certCommand(deps: Deps, sub: string | undefined, args: string[], io: Io): Promise<number> {
  if (sub === 'crl' && args[0] === 'refresh' && args.length === 1) {
    const r = await runJobNow(deps, jobNamed('cert.crl.refresh')!);
    if (r.status === 'failed') { io.err(`tessera: CRL refresh failed (run ${r.runId}): ${r.error}\n`); return 1; }
    io.out(`CRL refresh (run ${r.runId}): ${r.counts?.refreshed ?? 0} refreshed, ${r.counts?.failed ?? 0} failed, ${r.counts?.entries ?? 0} revoked serials\n`);
    return (r.counts?.failed ?? 0) > 0 ? 1 : 0;
  }
  if (sub !== 'trust') return 2;
  const [verb, ...rest] = args;
  if (verb === 'list' && rest.length === 0) {
    for (const i of await listTrustItems(deps)) io.out(`${i.id}\t${i.kind}\t${i.subjectKeyId}\t${i.notAfter.toISOString().slice(0, 10)}\t${i.label}\t${i.subject}\n`);
    return 0;
  }
  if (verb === 'remove' && rest.length === 1 && /^\d{1,9}$/.test(rest[0])) {
    if (!(await removeTrust(deps, null, Number(rest[0]), null))) { io.err(`tessera: no trusted certificate ${rest[0]}\n`); return 1; }
    io.out(`removed ${rest[0]}\n`);
    return 0;
  }
  if (verb === 'add' && rest.length >= 1) {
    const [file, ...flags] = rest;
    const opts: { label?: string; crlUrl?: string } = {};
    for (let i = 0; i < flags.length; i += 2) {
      if (flags[i] === '--label' && flags[i + 1] !== undefined) opts.label = flags[i + 1];
      else if (flags[i] === '--crl-url' && flags[i + 1] !== undefined) opts.crlUrl = flags[i + 1];
      else return 2;
    }
    let bytes: Buffer;
    try { bytes = fs.readFileSync(file); } catch { io.err(`tessera: cannot read ${file}\n`); return 1; }
    const text = bytes.toString('latin1');
    try {
      const item = await addTrust(deps, null, { certificate: text.includes('-----BEGIN') ? text : new Uint8Array(bytes), ...opts }, null);
      io.out(`${item.id}\t${item.kind}\t${item.subjectKeyId}\t${item.label}\n`);
      return 0;
    } catch (e) {
      if (e instanceof HttpError) { io.err(`tessera: ${translator('en')(e.messageKey)}\n`); return 1; }
      throw e;
    }
  }
  return 2;
}
