// One measured cell: N virtual clients, each calling `op` back to back until the cell's time is up
// (or its request cap is reached), with CPU, RSS and latency recorded. Bounded in time and count.
import { cpuDelta, cpuSnap, rssKib, type CpuDelta } from './cpu.ts';
import type { Outcome } from './flows.ts';

export interface CellResult {
  ok: number;
  failed: number;
  errors: Map<string, number>;
  seconds: number;
  rate: number;
  p50: number; p95: number; p99: number;
  peakRssKib: number;
  cpu: CpuDelta;
}

export async function runCell(o: {
  concurrency: number; seconds: number; maxOps: number; serverPid: number; pgDir: string | undefined;
  /** One request by virtual client `vc`; undefined when that client has nothing left to do (a dead chain). */
  op: (vc: number) => Promise<Outcome> | undefined;
}): Promise<CellResult> {
  let ok = 0, failed = 0, started = 0;
  const errors = new Map<string, number>();
  const latencies: number[] = [];
  let peakRssKib = rssKib(o.serverPid);
  const sampler = setInterval(() => { peakRssKib = Math.max(peakRssKib, rssKib(o.serverPid) || 0); }, 100);
  const cpu0 = cpuSnap(o.serverPid, o.pgDir);
  const start = performance.now();
  const end = start + o.seconds * 1000;
  await Promise.all(Array.from({ length: o.concurrency }, async (_, vc) => {
    while (performance.now() < end && started < o.maxOps) {
      const t0 = performance.now();
      const p = o.op(vc);
      if (!p) return;
      started++;
      let r: Outcome;
      try { r = await p; } catch (e) { r = { ok: false, why: (e as Error).message }; }
      if (r.ok) { ok++; latencies.push(performance.now() - t0); } else { failed++; errors.set(r.why, (errors.get(r.why) ?? 0) + 1); }
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuDelta(cpu0, cpuSnap(o.serverPid, o.pgDir));
  clearInterval(sampler);
  peakRssKib = Math.max(peakRssKib, rssKib(o.serverPid) || 0);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN;
  return { ok, failed, errors, seconds, rate: ok / seconds, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), peakRssKib, cpu };
}
