// `tessera serve` as a real process for the operations and reliability tests (OPS-2, issue 15):
// a free loopback port, the process with a test environment, its output kept, readiness awaited,
// and signals (SIGTERM for a graceful stop, SIGKILL for a crash).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from './cli.ts';

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}

export interface Served {
  url: string;
  port: number;
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
}

/** Starts `tessera serve` with `env` (on top of a fast, quiet test environment) on `port` (a free one by default). */
export async function serve(env: Record<string, string>, port?: number): Promise<Served> {
  const p = port ?? await freePort();
  const child = spawn(path.join(ROOT, 'node_modules/.bin/node'), [path.join(ROOT, 'bin/tessera.js'), 'serve'], {
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', TESSERA_ARGON2_MEMORY_KIB: '4096', TESSERA_ARGON2_TIME: '1',
      TESSERA_JOBS_POLL_MS: '0', ...env, PORT: String(p),
    },
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { url: `http://127.0.0.1:${p}`, port: p, child, output: () => out, exited };
}

/** Waits until /readyz answers 200 (throws with the output after `ms`, or when the process ended). */
export async function ready(s: Served, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await fetch(`${s.url}/readyz`).catch(() => undefined);
    if (r?.status === 200) return;
    if (Date.now() > deadline || s.child.exitCode !== null) throw new Error(`serve did not become ready: ${s.output().slice(-2000)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Ends a process that is still running (test clean-up). */
export function kill(s: Served | undefined): void {
  if (s && s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
}
