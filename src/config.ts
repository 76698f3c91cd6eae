// Typed configuration from environment variables: the one place they are read and validated.
import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  baseUrl: string;
  /** 32-byte key for personal-data encryption; undefined → generated into dataDir (embedded only). */
  secretKey: Buffer | undefined;
  bootstrapUsername: string | undefined;
  bootstrapPassword: string | undefined;
  captchaEnabled: boolean;
  production: boolean;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  logLevel: string;
  /** Failed logins from one IP within 15 minutes before that IP is refused (AUTH-2 per-IP limit). */
  ipLoginLimit: number;
  trustProxy: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be 0-65535, got ${env.PORT}`);
  const host = env.HOST ?? '127.0.0.1';
  let secretKey: Buffer | undefined;
  if (env.TESSERA_SECRET_KEY) {
    secretKey = Buffer.from(env.TESSERA_SECRET_KEY, /^[0-9a-f]{64}$/i.test(env.TESSERA_SECRET_KEY) ? 'hex' : 'base64');
    if (secretKey.length !== 32) throw new ConfigError('TESSERA_SECRET_KEY must be 32 bytes (64 hex digits or base64)');
  }
  if (production && !secretKey) throw new ConfigError('TESSERA_SECRET_KEY is required when NODE_ENV=production');
  if (production && !env.DATABASE_URL) throw new ConfigError('DATABASE_URL is required when NODE_ENV=production');
  const captchaOff = env.TESSERA_CAPTCHA === 'off';
  if (production && captchaOff) throw new ConfigError('TESSERA_CAPTCHA=off is refused when NODE_ENV=production');
  return {
    host,
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.TESSERA_DATA_DIR ?? './data'),
    baseUrl: (env.TESSERA_BASE_URL ?? `http://${host}:${port}`).replace(/\/$/, ''),
    secretKey,
    bootstrapUsername: env.TESSERA_BOOTSTRAP_USERNAME || undefined,
    bootstrapPassword: env.TESSERA_BOOTSTRAP_PASSWORD || undefined,
    captchaEnabled: !captchaOff,
    production,
    // OWASP's argon2id minimum (m=19 MiB, t=2, p=1).
    argon2: {
      memoryCost: Number(env.TESSERA_ARGON2_MEMORY_KIB ?? 19456),
      timeCost: Number(env.TESSERA_ARGON2_TIME ?? 2),
      parallelism: 1,
    },
    ipLoginLimit: Number(env.TESSERA_IP_LOGIN_LIMIT ?? 30),
    trustProxy: env.TESSERA_TRUST_PROXY === 'true',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
  };
}
