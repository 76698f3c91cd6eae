// AUTH-8 test PKI: a real GRCA-like root → MOICA-like G2 and G3 intermediates (one subject DN, two
// keys, told apart by key identifiers) → citizen certificates with CN = name and the Subject
// Directory Attributes extension (2.5.29.9) carrying 2.16.886.1.100.2.51 = last 4 digits of the
// national ID; CRLs signed by their issuer; an OCSP responder on 127.0.0.1 (pkijs); and the card's
// signature over a challenge as HiPKI's local service returns it (CMS SignedData or PKCS#1).
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
pkijs.setEngine('test', new pkijs.CryptoEngine({ name: 'test', crypto: webcrypto as unknown as Crypto }));

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;
export const MOICA_DN = 'C=TW, O=行政院, OU=內政部憑證管理中心';
export const GRCA_DN = 'C=TW, O=Government Root Certification Authority';
/** Test policy OIDs (the GRCA policy arc, assurance levels); disallowed ones are what a test picks. */
export const POLICY_L2 = '2.16.886.101.0.3.2';
export const POLICY_L3 = '2.16.886.101.0.3.3';

export interface Issued { cert: x509.X509Certificate; keys: CryptoKeyPair; pem: string; der: Uint8Array<ArrayBuffer>; serial: string }

// ---- tiny DER encoder for the one extension @peculiar/x509 has no class for ----
const len = (n: number) => n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 255];
const tlv = (tag: number, body: number[]) => [tag, ...len(body.length), ...body];
function oid(dotted: string): number[] {
  const p = dotted.split('.').map(Number);
  const out = [p[0] * 40 + p[1]];
  for (const n of p.slice(2)) {
    const b = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) b.unshift((v & 0x7f) | 0x80);
    out.push(...b);
  }
  return tlv(0x06, out);
}
/** SubjectDirectoryAttributes ::= SEQUENCE OF Attribute { type, SET OF PrintableString }. */
export function sdaExtension(last4: string): x509.Extension {
  const attr = tlv(0x30, [...oid('2.16.886.1.100.2.51'), ...tlv(0x31, tlv(0x13, [...Buffer.from(last4, 'latin1')]))]);
  return new x509.Extension('2.5.29.9', false, new Uint8Array(tlv(0x30, attr)));
}

const keys = () => webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
let serialCounter = 0x1000;
const nextSerial = () => (serialCounter++).toString(16).padStart(6, '0') + Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0');
const wrap = (cert: x509.X509Certificate, k: CryptoKeyPair): Issued =>
  ({ cert, keys: k, pem: cert.toString('pem'), der: new Uint8Array(cert.rawData), serial: cert.serialNumber.toLowerCase().replace(/^(00)+/, '') });

export async function makeRoot(dn = GRCA_DN, notBefore = new Date('2020-01-01T00:00:00Z')): Promise<Issued> {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(), name: dn, notBefore, notAfter: new Date('2040-01-01T00:00:00Z'), keys: k, signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(k.publicKey),
    ],
  });
  return wrap(cert, k);
}

export async function makeIntermediate(root: Issued, dn = MOICA_DN): Promise<Issued> {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(), subject: dn, issuer: root.cert.subject, notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2038-01-01T00:00:00Z'),
    publicKey: k.publicKey, signingKey: root.keys.privateKey, signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(k.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.keys.publicKey),
    ],
  });
  return wrap(cert, k);
}

export interface CitizenOptions {
  name: string;
  last4?: string | null;
  notBefore?: Date;
  notAfter?: Date;
  keyUsage?: number;
  policies?: string[];
  crlUrl?: string;
  ocspUrl?: string;
  serial?: string;
  /** Claim this CA's key identifier as the authority key id (a G2 look-alike signed by G3). */
  akiFrom?: Issued;
}

export async function makeCitizen(issuer: Issued, o: CitizenOptions): Promise<Issued> {
  const k = await keys();
  const ext: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(o.keyUsage ?? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
    await x509.SubjectKeyIdentifierExtension.create(k.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create((o.akiFrom ?? issuer).keys.publicKey),
    new x509.CertificatePolicyExtension(o.policies ?? [POLICY_L2]),
  ];
  if (o.last4 !== null) ext.push(sdaExtension(o.last4 ?? '6789'));
  if (o.crlUrl) ext.push(new x509.CRLDistributionPointsExtension([o.crlUrl]));
  if (o.ocspUrl) ext.push(new x509.AuthorityInfoAccessExtension({ ocsp: [o.ocspUrl] }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: o.serial ?? nextSerial(), subject: `C=TW, CN=${o.name}, SN=${Math.floor(Math.random() * 1e9)}`, issuer: issuer.cert.subject,
    notBefore: o.notBefore ?? new Date('2025-01-01T00:00:00Z'), notAfter: o.notAfter ?? new Date('2030-01-01T00:00:00Z'),
    publicKey: k.publicKey, signingKey: issuer.keys.privateKey, signingAlgorithm: ALG, extensions: ext,
  });
  return wrap(cert, k);
}

/** A CRL signed by `issuer` revoking `serials` (hex). */
export async function makeCrl(issuer: Issued, serials: string[], o: { thisUpdate?: Date; nextUpdate?: Date; number?: number } = {}): Promise<Uint8Array<ArrayBuffer>> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.cert.subject, thisUpdate: o.thisUpdate ?? new Date('2026-11-25T00:00:00Z'), nextUpdate: o.nextUpdate ?? new Date('2026-12-02T00:00:00Z'),
    entries: serials.map((s, i) => ({ serialNumber: s, revocationDate: new Date(Date.UTC(2026, 0, 1) + i * 1000), reason: x509.X509CrlReason.keyCompromise })),
    signingAlgorithm: ALG, signingKey: issuer.keys.privateKey,
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
      new x509.Extension('2.5.29.20', false, new Uint8Array(tlv(0x02, [o.number ?? 1]))),
    ],
  });
  return new Uint8Array(crl.rawData);
}

// ---- HTTP: CRL distribution and an OCSP responder on 127.0.0.1 ----
export type OcspStatus = 'good' | 'revoked' | 'unknown';
export interface PkiServer {
  url: string;
  crls: Map<string, Uint8Array>;
  /** serial (hex, normalised) → status; absent = good. */
  ocsp: Map<string, OcspStatus>;
  ocspHits: number;
  /** When true, the OCSP responder answers 503 (down). */
  ocspDown: boolean;
  close(): Promise<void>;
}

export async function startPkiServer(issuers: Issued[]): Promise<PkiServer> {
  const state = { crls: new Map<string, Uint8Array>(), ocsp: new Map<string, OcspStatus>(), ocspHits: 0, ocspDown: false };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const path = req.url ?? '';
        if (req.method === 'GET' && state.crls.has(path)) {
          res.writeHead(200, { 'content-type': 'application/pkix-crl' });
          return res.end(state.crls.get(path));
        }
        if (req.method === 'POST' && path === '/ocsp') {
          state.ocspHits++;
          if (state.ocspDown) { res.writeHead(503); return res.end(); }
          const body = await ocspAnswer(new Uint8Array(Buffer.concat(chunks)), issuers, state.ocsp);
          res.writeHead(200, { 'content-type': 'application/ocsp-response' });
          return res.end(Buffer.from(body));
        }
        res.writeHead(404); res.end();
      })().catch((e) => { res.writeHead(500); res.end(String(e)); });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url,
    get ocspHitsNow() { return state.ocspHits; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  }) as unknown as PkiServer;
}

async function ocspAnswer(body: Uint8Array, issuers: Issued[], statuses: Map<string, OcspStatus>): Promise<ArrayBuffer> {
  const req = pkijs.OCSPRequest.fromBER(new Uint8Array(body));
  const certId = req.tbsRequest.requestList[0].reqCert;
  // The issuer whose key hash the request names signs the answer itself (no delegated responder).
  let signer: Issued | undefined;
  for (const i of issuers) {
    const spki = pkijs.Certificate.fromBER(i.der).subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
    const h = new Uint8Array(await webcrypto.subtle.digest('SHA-1', new Uint8Array(spki)));
    if (Buffer.from(h).equals(Buffer.from(certId.issuerKeyHash.valueBlock.valueHexView))) signer = i;
  }
  const resp = new pkijs.OCSPResponse();
  if (!signer) { resp.responseStatus.valueBlock.valueDec = 6; return resp.toSchema().toBER(false); }
  const serial = Buffer.from(certId.serialNumber.valueBlock.valueHexView).toString('hex').replace(/^(00)+/, '');
  const status = statuses.get(serial) ?? 'good';
  const basic = new pkijs.BasicOCSPResponse();
  const signerCert = pkijs.Certificate.fromBER(signer.der);
  basic.tbsResponseData.responderID = signerCert.subject;
  basic.tbsResponseData.producedAt = new Date();
  const single = new pkijs.SingleResponse();
  single.certID = certId;
  single.certStatus = status === 'revoked'
    ? new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [new asn1js.GeneralizedTime({ valueDate: new Date('2026-01-01T00:00:00Z') })] })
    : new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: status === 'good' ? 0 : 2 }, lenBlock: { length: 1 } as never });
  single.thisUpdate = new Date();
  basic.tbsResponseData.responses.push(single);
  basic.certs = [signerCert];
  await basic.sign(signer.keys.privateKey, 'SHA-256');
  resp.responseStatus.valueBlock.valueDec = 0;
  resp.responseBytes = new pkijs.ResponseBytes();
  resp.responseBytes.responseType = '1.3.6.1.5.5.7.48.1.1';
  resp.responseBytes.response = new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) });
  return resp.toSchema().toBER(false);
}

// ---- the card: what HiPKI's local service answers to POST /sign ----
/** CMS SignedData (PKCS#7) over `tbs`, content attached, signer certificate included: base64 DER. */
export async function signPkcs7(who: Issued, tbs: string): Promise<string> {
  const cert = pkijs.Certificate.fromBER(who.der);
  const sd = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1', eContent: new asn1js.OctetString({ valueHex: new TextEncoder().encode(tbs) }) }),
    signerInfos: [new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    })],
    certificates: [cert],
  });
  await sd.sign(who.keys.privateKey, 0, 'SHA-256');
  const ci = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) });
  return Buffer.from(ci.toSchema().toBER(false)).toString('base64');
}

/** PKCS#1 v1.5 signature (SHA-256) over `tbs`: base64. */
export async function signPkcs1(who: Issued, tbs: string): Promise<string> {
  const sig = await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', who.keys.privateKey, new TextEncoder().encode(tbs));
  return Buffer.from(sig).toString('base64');
}

export const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

/** The whole test hierarchy: root, G2 and G3 under it, and a second unrelated root ("wrong issuer"). */
export async function makeHierarchy() {
  const root = await makeRoot();
  const g2 = await makeIntermediate(root);
  const g3 = await makeIntermediate(root);
  const otherRoot = await makeRoot('C=TW, O=Not The Government Root');
  const otherMoica = await makeIntermediate(otherRoot);
  return { root, g2, g3, otherRoot, otherMoica };
}
