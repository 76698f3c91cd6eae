// AUTH-8: a minimal DER reader (pure, no I/O) — walks tag-length-value headers in place, without
// building a tree, so a CRL of 400,000 entries is read in one pass over its bytes (RECIPES.md).

export interface Tlv {
  tag: number;
  /** Offset of the first content byte. */
  start: number;
  /** Offset just past the content. */
  end: number;
  /** Offset of the tag byte. */
  at: number;
}

export class DerError extends Error {}

/** Reads the TLV header at `at`; refuses indefinite lengths, multi-byte tags and overruns (DER only). */
export function readTlv(buf: Uint8Array, at: number, limit = buf.length): Tlv {
  if (at + 2 > limit) throw new DerError('truncated');
  const tag = buf[at];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tag');
  let len = buf[at + 1];
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('bad length');
    if (p + n > limit) throw new DerError('truncated');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > limit) throw new DerError('overrun');
  return { tag, start: p, end: p + len, at };
}

/** The TLVs directly inside `parent` (one level), in order. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.start; p < parent.end;) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** An INTEGER's content as lower-case hex without leading zero bytes (serials compare normalised). */
export function integerHex(buf: Uint8Array, t: Tlv): string {
  let s = t.start;
  while (s < t.end - 1 && buf[s] === 0) s++;
  return Buffer.from(buf.buffer, buf.byteOffset + s, t.end - s).toString('hex');
}

/** Normalises a hex serial: lower case, no leading zero bytes (OCSP and some libraries drop them). */
export function normaliseSerial(hex: string): string {
  let h = hex.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (h.length % 2) h = '0' + h;
  while (h.length > 2 && h.startsWith('00')) h = h.slice(2);
  return h;
}

/** An OBJECT IDENTIFIER's content as dotted text. */
export function oidText(buf: Uint8Array, t: Tlv): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = t.start; i < t.end; i++) {
    v = v * 128 + (buf[i] & 0x7f);
    if (!(buf[i] & 0x80)) { parts.push(v); v = 0; }
  }
  const first = parts.shift() ?? 0;
  const a = first < 80 ? Math.floor(first / 40) : 2;
  return [a, first - a * 40, ...parts].join('.');
}

/** UTCTime or GeneralizedTime content as a Date (undefined when the tag is neither). */
export function timeOf(buf: Uint8Array, t: Tlv): Date | undefined {
  const s = Buffer.from(buf.buffer, buf.byteOffset + t.start, t.end - t.start).toString('latin1');
  if (t.tag === 0x17) {
    const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
    if (!m) return undefined;
    const y = Number(m[1]);
    return new Date(Date.UTC(y < 50 ? 2000 + y : 1900 + y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
  }
  if (t.tag === 0x18) {
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(s);
    if (!m) return undefined;
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  }
  return undefined;
}

/** A string type's content as text (PrintableString, UTF8String, IA5String, BMPString, ...). */
export function stringOf(buf: Uint8Array, t: Tlv): string {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset + t.start, t.end - t.start);
  if (t.tag === 0x1e) return Buffer.from(bytes).swap16().toString("utf16le");
  return bytes.toString(t.tag === 0x0c ? 'utf8' : 'latin1');
}
