import assert from 'node:assert/strict';
import type { TestApp } from './app.ts';
import { Client, type Res } from './client.ts';

/** Fetches the login page and submits it with the captcha that page showed. */
export function login(t: TestApp, c: Client, username: string, password: string, extra: Record<string, string> = {}): Promise<Res> {
  return c.submit('/login', '/login', () => ({ username, password, captcha: t.lastCaptcha(), ...extra }));
}

export const alertText = (html: string): string | undefined => html.match(/role="alert">([^<]*)/)?.[1];

/** A new client signed in as `username` (the login must succeed). */
export async function signedIn(t: TestApp, username: string, password: string): Promise<Client> {
  const c = new Client(t.url);
  const r = await login(t, c, username, password);
  assert.equal(r.status, 303, `${username} logs in: ${alertText(r.body) ?? ''}`);
  return c;
}
