// Where the machine's CPU went during a cell, read from /proc (as bench/login does): the server
// under test (by thread kind), PostgreSQL's processes, the load generator (this process) and
// everything else — other sessions' tests show up as "other", so a noisy run is visible.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TICK_MS = 10; // USER_HZ = 100 on Linux
export const cores = os.availableParallelism();

function statFields(file: string): string[] | undefined {
  try { const st = fs.readFileSync(file, 'utf8'); return st.slice(st.lastIndexOf(')') + 2).split(' '); } catch { return undefined; }
}
const cpuMsOf = (f: string[] | undefined) => f ? (Number(f[11]) + Number(f[12])) * TICK_MS : 0; // utime + stime

/**
 * PostgreSQL's CPU: the postmaster's own and that of the children it has reaped (cutime, cstime:
 * backends that exited, e.g. a pool closing idle connections) plus the live children's.
 */
function postgresCpuMs(pgDir: string | undefined): number {
  if (!pgDir) return 0;
  let master: number;
  try { master = Number(fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]); } catch { return 0; }
  const m = statFields(`/proc/${master}/stat`);
  const reaped = m ? (Number(m[13]) + Number(m[14])) * TICK_MS : 0;
  const children = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))
    .map((d) => statFields(`/proc/${d}/stat`)).filter((f) => Number(f?.[1]) === master);
  return cpuMsOf(m) + reaped + children.reduce((a, f) => a + cpuMsOf(f), 0);
}

/** A process's CPU by thread name: MainThread (JS), libuv-worker (thread pool), V8Worker (GC, JIT). */
function threadCpuMs(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
      let name: string;
      try { name = fs.readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim(); } catch { continue; }
      out[name] = (out[name] ?? 0) + cpuMsOf(statFields(`/proc/${pid}/task/${t}/stat`));
    }
  } catch { /* exited */ }
  return out;
}

export interface CpuSnap { server: number; threads: Record<string, number>; pg: number; bench: number; busy: number; wall: number }

export function cpuSnap(serverPid: number, pgDir: string | undefined): CpuSnap {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const u = process.cpuUsage();
  return {
    server: cpuMsOf(statFields(`/proc/${serverPid}/stat`)),
    threads: threadCpuMs(serverPid),
    pg: postgresCpuMs(pgDir),
    bench: (u.user + u.system) / 1000,
    busy: (total - cpu[3] - cpu[4]) * TICK_MS, // all but idle and iowait, all cores
    wall: performance.now(),
  };
}

export interface CpuDelta { main: number; v8: number; server: number; pg: number; bench: number; busy: number; wall: number; other: number; capacity: number }

export function cpuDelta(a: CpuSnap, b: CpuSnap): CpuDelta {
  const thread = (k: string) => (b.threads[k] ?? 0) - (a.threads[k] ?? 0);
  const d = { main: thread('MainThread'), v8: thread('V8Worker'), server: b.server - a.server, pg: b.pg - a.pg, bench: b.bench - a.bench, busy: b.busy - a.busy, wall: b.wall - a.wall };
  return { ...d, other: Math.max(0, d.busy - d.server - d.pg - d.bench), capacity: d.wall * cores };
}

export function rssKib(pid: number): number {
  try { return Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN); } catch { return NaN; }
}
