// From the administrator's form or JSON to the provider's client rules (src/sso/client-rules.ts,
// checked by upsertClient) and back: text areas to lists, the JWKS text to JSON, the rules' error
// list to one message per field. Pure, no I/O.
import type { MessageKey } from '../platform/web/messages.ts';
import type { ClientField, ClientFieldError } from './client-rules.ts';

export type ClientErrors = Partial<Record<ClientField, MessageKey>>;

/** Lines of a textarea as a list: blank lines dropped, duplicates once. */
export const lines = (s: string): string[] => [...new Set(s.split(/\r?\n/).map((x) => x.trim()).filter(Boolean))];

/** The JWKS text area: empty → none; text that is not a JSON object → `invalid` (the rules then name the field). */
export function parseJwksText(text: string): { jwks: { keys: unknown[] } | null; invalid: boolean } {
  const t = text.trim();
  if (!t) return { jwks: null, invalid: false };
  try {
    const v = JSON.parse(t) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return { jwks: v as { keys: unknown[] }, invalid: false };
  } catch { /* reported below */ }
  return { jwks: null, invalid: true };
}

/** The first refusal of each field, as the form shows it next to that field. */
export function errorsByField(list: ClientFieldError[]): ClientErrors {
  const out: ClientErrors = {};
  for (const e of list) out[e.field] ??= e.message;
  return out;
}
