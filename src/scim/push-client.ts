// SSO-6: the HTTP side of SCIM push — one call to a receiver's SCIM endpoint with its bearer
// secret, application/scim+json, a time limit well inside the outbox lease, no redirects followed.
export interface ScimReply { status: number; body: Record<string, unknown> | null }

export const PUSH_TIMEOUT_MS = 30_000;

/** A refusal or failure of the receiver: its status is kept (never its body, which may hold personal data). */
export class PushError extends Error {
  constructor(readonly status: number, what: string) { super(`${what}: HTTP ${status}`); }
}

export type ScimCall = (method: string, path: string, body?: unknown) => Promise<ScimReply>;

export function scimClient(baseUrl: string, secret: string): ScimCall {
  const base = baseUrl.replace(/\/+$/, '');
  return async (method, path, body) => {
    const res = await fetch(base + path, {
      method, redirect: 'error', signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
      headers: { authorization: `Bearer ${secret}`, accept: 'application/scim+json', ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> | null = null;
    try { parsed = text ? JSON.parse(text) as Record<string, unknown> : null; } catch { parsed = null; }
    return { status: res.status, body: parsed };
  };
}

/** The reply when its status is one of `ok`; else a PushError naming the step. */
export function expect(r: ScimReply, ok: number[], what: string): ScimReply {
  if (!ok.includes(r.status)) throw new PushError(r.status, what);
  return r;
}
