// Crypto helpers: hashes for stored secrets, AES-256-GCM for personal data, HMAC blind indexes.
import crypto from 'node:crypto';

export const sha256 = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

/** URL-safe random token with `bytes` bytes of entropy. */
export const randomToken = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');

/** Uniformly random decimal code of `digits` digits (captchas, one-time codes). */
export const randomDigits = (digits: number): string =>
  Array.from({ length: digits }, () => crypto.randomInt(10)).join('');

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a), bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/** Keys derived from the one configured secret, each for a single purpose. */
export class Keyring {
  readonly encryption: crypto.KeyObject;
  private readonly macKey: crypto.KeyObject;
  constructor(secret: Buffer) {
    // KeyObjects are made once: building a key from raw bytes on every HMAC is measurable per login.
    this.encryption = crypto.createSecretKey(Buffer.from(crypto.hkdfSync('sha256', secret, '', 'tessera encryption', 32)));
    this.macKey = crypto.createSecretKey(Buffer.from(crypto.hkdfSync('sha256', secret, '', 'tessera mac', 32)));
  }

  /** Deterministic keyed hash: blind indexes, CSRF tokens, throttle keys. */
  mac(purpose: string, value: string): string {
    return crypto.createHmac('sha256', this.macKey).update(purpose).update('\0').update(value).digest('base64url');
  }

  encrypt(plain: string): string {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.encryption, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== 'v1') throw new Error('unknown ciphertext version');
    const d = crypto.createDecipheriv('aes-256-gcm', this.encryption, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
  }
}
