// A software WebAuthn authenticator for HTTP tests (AUTH-11): an ES256 key made with node:crypto,
// "none" attestation, answers built byte for byte as the WebAuthn spec lays them out, so the
// server's @simplewebauthn/server checks them as it would a real authenticator's.
import crypto from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => crypto.createHash('sha256').update(b).digest();

export interface CreationOptions { challenge: string; rp: { id?: string }; user: { id: string } }
export interface RequestOptions { challenge: string; rpId?: string }

export class SoftAuthenticator {
  readonly key = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  readonly credentialId = crypto.randomBytes(16);
  counter: number;
  userHandle = '';
  constructor(readonly opts: { aaguid?: string; counter?: number; uv?: boolean; synced?: boolean } = {}) {
    this.counter = opts.counter ?? 0;
  }

  get id(): string { return b64u(this.credentialId); }

  private flags(attested: boolean): number {
    let f = 0x01; // user present
    if (this.opts.uv !== false) f |= 0x04;
    if (this.opts.synced) f |= 0x08 | 0x10;
    if (attested) f |= 0x40;
    return f;
  }

  private authData(rpId: string, attested: boolean): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const head = Buffer.concat([sha256(rpId), Buffer.from([this.flags(attested)]), counter]);
    if (!attested) return head;
    const jwk = this.key.publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([
      [1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')],
    ]));
    const aaguid = Buffer.from((this.opts.aaguid ?? '00000000-0000-0000-0000-000000000000').replace(/-/g, ''), 'hex');
    const len = Buffer.alloc(2);
    len.writeUInt16BE(this.credentialId.length);
    return Buffer.concat([head, aaguid, len, this.credentialId, Buffer.from(cose)]);
  }

  /** The answer to navigator.credentials.create() for these options. */
  register(options: CreationOptions, origin: string) {
    this.userHandle = options.user.id;
    const rpId = options.rp.id ?? new URL(origin).hostname;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }));
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([
      ['fmt', 'none'], ['attStmt', new Map()], ['authData', new Uint8Array(this.authData(rpId, true))],
    ]) as never);
    return {
      id: this.id, rawId: this.id, type: 'public-key', clientExtensionResults: {}, authenticatorAttachment: 'platform',
      response: { clientDataJSON: b64u(clientDataJSON), attestationObject: b64u(attestationObject), transports: ['internal'] },
    };
  }

  /** The answer to navigator.credentials.get(); the counter moves by `step` first (0 keeps it). */
  assert(options: RequestOptions, origin: string, opts: { step?: number; badSignature?: boolean } = {}) {
    this.counter += opts.step ?? (this.counter > 0 || this.opts.counter ? 1 : 0);
    const rpId = options.rpId ?? new URL(origin).hostname;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    const authenticatorData = this.authData(rpId, false);
    let signature = crypto.sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.key.privateKey);
    if (opts.badSignature) signature = crypto.sign('sha256', Buffer.from('something else'), this.key.privateKey);
    return {
      id: this.id, rawId: this.id, type: 'public-key', clientExtensionResults: {}, authenticatorAttachment: 'platform',
      response: { clientDataJSON: b64u(clientDataJSON), authenticatorData: b64u(authenticatorData), signature: b64u(signature), userHandle: this.userHandle },
    };
  }
}
