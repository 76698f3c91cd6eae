// What every capability receives from the composition root; tests build it with their own clock.
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import type { Config } from '../config.ts';
import type { Clock } from './clock.ts';
import type { Keyring } from './crypto.ts';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export interface Deps {
  db: Db;
  config: Config;
  clock: Clock;
  keyring: Keyring;
  log: Logger;
  hasher: PasswordHasher;
  /** Source of captcha answers; random in production, observable in tests. */
  captchaCode: () => string;
}
