// SMS gateway adapter (OPS-3): one HTTP POST per text message to the configured gateway, with its
// auth header and a body built from the configured template. Taiwanese gateways differ in field
// names and formats, so the body is a template rather than code per vendor. Errors keep the HTTP
// status or the network error code only: a gateway's answer may echo the number or the text.
import type { SmsGatewayConfig } from '../config.ts';

export interface OutgoingSms { to: string; text: string }
export interface SmsSender { send(m: OutgoingSms): Promise<void>; close(): void }

/** A send that takes longer is abandoned (and retried by the outbox), well inside its lease. */
export const SMS_TIMEOUT_MS = 30_000;

/** Mobile numbers are stored as 09xx-xxxxxx: the gateway gets digits, or +886 and the digits after the 0. */
export function smsNumbers(mobile: string): { to: string; to_e164: string } {
  const digits = mobile.replace(/\D/g, '');
  return { to: digits, to_e164: digits.startsWith('0') ? '+886' + digits.slice(1) : '+' + digits };
}

/** Escapes one value for the body's content type: JSON string content, form encoding, XML, or as it is. */
export function escapeFor(contentType: string, value: string): string {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return JSON.stringify(value).slice(1, -1);
  if (type === 'application/x-www-form-urlencoded') return encodeURIComponent(value);
  if (type.endsWith('/xml') || type.endsWith('+xml')) {
    return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
  }
  return value;
}

/** The request body: every {to}, {to_e164} and {text} of the template replaced in one pass (a text holding "{to}" stays text). */
export function smsBody(config: Pick<SmsGatewayConfig, 'bodyTemplate' | 'contentType'>, m: OutgoingSms): string {
  const values: Record<string, string> = { ...smsNumbers(m.to), text: m.text };
  return config.bodyTemplate.replace(/\{(to|to_e164|text)\}/g, (_, k: string) => escapeFor(config.contentType, values[k]));
}

export class SmsGatewayError extends Error {
  constructor(readonly status: number) { super(`SMS gateway answered HTTP ${status}`); }
}

export function httpSmsSender(config: SmsGatewayConfig): SmsSender {
  return {
    send: async (m) => {
      const headers: Record<string, string> = { 'content-type': config.contentType };
      if (config.authHeader) headers[config.authHeader.name] = config.authHeader.value;
      const res = await fetch(config.url, { method: 'POST', headers, body: smsBody(config, m), signal: AbortSignal.timeout(SMS_TIMEOUT_MS) });
      // The body is read and dropped: it may echo the number or the text.
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new SmsGatewayError(res.status);
    },
    close: () => {},
  };
}
