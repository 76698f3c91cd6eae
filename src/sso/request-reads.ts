// What one provider request has already read (SSO-2): the statement that finds a refresh or access
// token also brings its grant and the account check (adapter.ts), so the provider's next questions
// cost no round trip. The memo lives for ONE request (AsyncLocalStorage around the provider's
// handler) and is never shared: revocation, rotation and a removed role still take effect on the
// very next request, on every instance.
import { AsyncLocalStorage } from 'node:async_hooks';

const reads = new AsyncLocalStorage<Map<string, unknown>>();

/** Runs one provider request with its own, empty memo. */
export function withRequestReads<T>(handle: () => Promise<T>): Promise<T> {
  return reads.run(new Map(), handle);
}

export const grantKey = (grantId: string) => `Grant:${grantId}`;
/** "Still enabled and a role holder in the system" (mayHoldTokens) for the token endpoint. */
export const mayHoldKey = (accountId: string, clientId: string) => `mayHold:${accountId}:${clientId}`;
/** The claims userinfo releases (accountClaims). */
export const claimsKey = (accountId: string, clientId: string) => `claims:${accountId}:${clientId}`;

/** Whether this request runs with a memo (outside one, nothing is remembered). */
export const readsActive = (): boolean => reads.getStore() !== undefined;

export function remember(key: string, value: unknown): void {
  reads.getStore()?.set(key, value);
}

/** The remembered value (wrapped: undefined is a value too), or undefined when this request has not read it. */
export function recall<T>(key: string): { value: T } | undefined {
  const memo = reads.getStore();
  return memo?.has(key) ? { value: memo.get(key) as T } : undefined;
}

/** A write in this request makes the remembered read stale. */
export function forget(key: string): void {
  reads.getStore()?.delete(key);
}
