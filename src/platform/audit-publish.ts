// GOV-1 (issue 15): signed checkpoints published outside the database, besides the page, the API
// and TESSERA_AUDIT_CHECKPOINT_FILE: to a syslog receiver (RFC 5424, over UDP as one datagram, or
// TCP with RFC 6587 octet counting) and to an external URL (HTTP POST of the checkpoint's JSON,
// retried with back-off). Publishing starts after the checkpoint committed and never holds the
// sealer up: a slow or absent receiver costs a log line, not a seal. A graceful stop waits a
// little for publications under way (flushPublications).
import dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';
import type { Config } from '../config.ts';
import type { CheckpointLine } from './audit-checkpoint.ts';

interface Log { warn(o: object, msg: string): void; error(o: object, msg: string): void }

/** Facility 13 ("log audit", RFC 5424 §6.2.1), severity 6 (informational). */
const PRI = 13 * 8 + 6;
const URL_ATTEMPTS = 5;
const URL_FIRST_WAIT_MS = 500;
const ATTEMPT_TIMEOUT_MS = 5000;

/** The RFC 5424 message of a checkpoint: header, no structured data, the checkpoint's JSON as MSG. */
export function syslogMessage(line: CheckpointLine, host = os.hostname()): string {
  const hostname = (host.replace(/[^\x21-\x7e]/g, '') || '-').slice(0, 255);
  return `<${PRI}>1 ${line.signedAt.toISOString()} ${hostname} tessera ${process.pid} audit-checkpoint - ${JSON.stringify(line)}`;
}

function sendUdp(host: string, port: number, msg: string): Promise<void> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  return new Promise<void>((resolve, reject) => {
    socket.send(Buffer.from(msg, 'utf8'), port, host, (err) => { socket.close(); if (err) reject(err); else resolve(); });
  });
}

function sendTcp(host: string, port: number, msg: string): Promise<void> {
  const frame = Buffer.from(msg, 'utf8');
  return new Promise<void>((resolve, reject) => {
    const s = net.connect({ host, port });
    s.setTimeout(ATTEMPT_TIMEOUT_MS, () => s.destroy(new Error('syslog receiver timed out')));
    s.on('error', reject);
    s.on('connect', () => s.end(Buffer.concat([Buffer.from(`${frame.length} `), frame]), () => resolve()));
  });
}

async function postJson(url: string, line: CheckpointLine): Promise<void> {
  const r = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(line),
    signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS), redirect: 'error',
  });
  await r.body?.cancel();
  if (!r.ok) throw new Error(`answered ${r.status}`);
}

async function withRetries(attempts: number, firstWaitMs: number, f: () => Promise<void>): Promise<void> {
  for (let i = 1; ; i++) {
    try { return await f(); } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, firstWaitMs * 2 ** (i - 1)));
    }
  }
}

const pending = new Set<Promise<void>>();

/** Starts publishing a committed checkpoint to the configured targets; returns at once. */
export function publishCheckpoint(config: Pick<Config, 'auditCheckpointSyslog' | 'auditCheckpointUrl'>, log: Log, line: CheckpointLine): void {
  const jobs: Promise<void>[] = [];
  const target = config.auditCheckpointSyslog;
  if (target) {
    const msg = syslogMessage(line);
    jobs.push(withRetries(target.protocol === 'tcp' ? 3 : 1, URL_FIRST_WAIT_MS, () => (target.protocol === 'udp' ? sendUdp : sendTcp)(target.host, target.port, msg))
      .catch((err) => log.error({ checkpoint: line.id, err: { message: (err as Error).message } }, 'audit checkpoint not sent to syslog')));
  }
  const url = config.auditCheckpointUrl;
  if (url) {
    jobs.push(withRetries(URL_ATTEMPTS, URL_FIRST_WAIT_MS, () => postJson(url, line))
      .catch((err) => log.error({ checkpoint: line.id, err: { message: (err as Error).message } }, 'audit checkpoint not posted to TESSERA_AUDIT_CHECKPOINT_URL')));
  }
  for (const j of jobs) { pending.add(j); void j.finally(() => pending.delete(j)); }
}

/** Waits up to `ms` for publications under way (a graceful stop). */
export async function flushPublications(ms: number): Promise<void> {
  if (pending.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...pending]), new Promise((r) => { timer = setTimeout(r, ms); })]);
  clearTimeout(timer);
}
