// Time is a dependency so that tests can move it (lock-out expiry, idle sessions, password age).
export interface Clock { now(): Date }

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until advanced; for tests and the benchmark. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string = new Date()) { this.t = new Date(start).getTime(); }
  now(): Date { return new Date(this.t); }
  advance(ms: number): void { this.t += ms; }
  set(at: Date | string): void { this.t = new Date(at).getTime(); }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
