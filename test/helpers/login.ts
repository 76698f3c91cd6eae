import type { TestApp } from './app.ts';
import { Client, type Res } from './client.ts';

/** Fetches the login page and submits it with the captcha that page showed. */
export function login(t: TestApp, c: Client, username: string, password: string, extra: Record<string, string> = {}): Promise<Res> {
  return c.submit('/login', '/login', () => ({ username, password, captcha: t.lastCaptcha(), ...extra }));
}

export const alertText = (html: string): string | undefined => html.match(/role="alert">([^<]*)/)?.[1];
