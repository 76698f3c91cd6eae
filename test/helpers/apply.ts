// Walks the self-service application (REQ-1, AUTH-6) over HTTP for the tests: the identity step,
// the codes as received by the real SMTP server and the local SMS gateway, the later steps.
import assert from 'node:assert/strict';
import type { TestApp } from './app.ts';
import type { TestSmtp } from './mail.ts';
import type { TestSmsGateway } from './sms-gateway.ts';
import { Client, type Res } from './client.ts';
import { checkDigitFor } from '../../src/accounts/national-id.ts';
import { drainOutbox } from '../../src/platform/outbox.ts';

/** 中華郵政股份有限公司, the agency of seed 000's screenshots (a sample organisation). */
export const POST_OID = '2.16.886.101.20003.20008.20074';
/** Letters and digits only: seed 000's agency allows nothing else (issue 9 item 17). */
export const GOOD_PASSWORD = 'HarbourLanternQuiet72';

let serial = 0;
/** A fresh valid national ID each call (one person, one account). */
export function newNationalId(): string {
  const first9 = `F2${String(3300000 + ++serial + Math.floor(Math.random() * 600000)).padStart(7, '0')}`;
  return first9 + checkDigitFor(first9);
}

export interface Applicant { name: string; email: string; mobile: string }

let n = 0;
/** A distinct applicant (e-mail and mobile never reused between tests: the send limits count them). */
export function newApplicant(extra: Partial<Applicant> = {}): Applicant {
  n++;
  const digits = String(100000 + n * 7919 % 900000 + Math.floor(Math.random() * 1000)).slice(-6);
  return { name: '陳怡君', email: `applicant${n}.${Date.now() % 100000}@post.gov.tw`, mobile: `0912-${digits}`, ...extra };
}

export const digitsOf = (mobile: string) => mobile.replace(/\D/g, '');

/** Posts the identity form (seed 000 step 4) with the page's CSRF token, captcha id and answer. */
export function postIdentity(t: TestApp, c: Client, a: Applicant, oid = POST_OID): Promise<Res> {
  return c.submit(`/apply/identity?oid=${oid}`, '/apply/identity', () => ({ oid, ...a, captcha: t.lastCaptcha() }));
}

/**
 * Delivers what the outbox holds and returns the newest code mailed to `email` and texted to
 * `mobile` after the `before` counts (other mail to the applicant, such as a decision, is skipped).
 */
export async function latestCodes(t: TestApp, smtp: TestSmtp, gw: TestSmsGateway, a: Applicant, before = { mail: 0, sms: 0 }): Promise<{ mail: string; sms: string }> {
  await drainOutbox(t.deps);
  const mailCode = () => smtp.received.filter((m) => m.to === a.email).slice(before.mail)
    .map((m) => m.text.match(/^(\d{6})$/m)?.[1]).filter(Boolean).at(-1);
  const smsCode = () => gw.received.filter((m) => m.json?.to === digitsOf(a.mobile)).slice(before.sms)
    .map((m) => String(m.json!.text).match(/(?<!\d)(\d{6})(?!\d)/)?.[1]).filter(Boolean).at(-1);
  await smtp.waitFor(() => mailCode() !== undefined);
  await gw.waitFor(() => smsCode() !== undefined);
  return { mail: mailCode()!, sms: smsCode()! };
}

export const sentCount = (smtp: TestSmtp, gw: TestSmsGateway, a: Applicant) => ({
  mail: smtp.received.filter((m) => m.to === a.email).length,
  sms: gw.received.filter((m) => m.json?.to === digitsOf(a.mobile)).length,
});

export function postCodes(c: Client, codes: { mail?: string; sms?: string }): Promise<Res> {
  return c.submit('/apply/verify', '/apply/verify', { mailCode: codes.mail ?? '', smsCode: codes.sms ?? '' });
}

export interface AccountFields { username: string; next: string; confirm?: string; nationalId?: string; title?: string; department?: string; address?: string; officePhone?: string; officeExt?: string; fax?: string }

export function postAccount(c: Client, f: AccountFields): Promise<Res> {
  return c.submit('/apply/account', '/apply/account', {
    nationalId: newNationalId(), title: '科員', department: '資訊處', address: '臺北市大安區金山南路二段55號', officePhone: '02-23921310',
    ...f, confirm: f.confirm ?? f.next,
  } as Record<string, string>);
}

/** POSTs the roles form; several values of one field go as a raw urlencoded body. */
export async function postRoles(c: Client, roles: string[]): Promise<Res> {
  const page = await c.get('/apply/systems');
  const csrf = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const body = new URLSearchParams([['_csrf', csrf], ...roles.map((r) => ['roles', r] as [string, string])]).toString();
  return c.request('POST', '/apply/systems', body, { 'content-type': 'application/x-www-form-urlencoded' });
}

/** From the agency (seed 000's by default) to the roles page: identity, both codes, account details. Returns the client. */
export async function throughAccountStep(t: TestApp, smtp: TestSmtp, gw: TestSmsGateway, a: Applicant, f: AccountFields, ip?: string, oid = POST_OID): Promise<Client> {
  const c = new Client(t.url, ip);
  const before = sentCount(smtp, gw, a);
  const r = await postIdentity(t, c, a, oid);
  assert.equal(r.status, 303, 'identity accepted');
  const codes = await latestCodes(t, smtp, gw, a, before);
  const v = await postCodes(c, codes);
  assert.equal(v.location, '/apply/account', 'both codes accepted');
  const p = await postAccount(c, f);
  assert.equal(p.location, '/apply/systems', `account details accepted: ${p.body.match(/class="field-error">([^<]+)/)?.[1] ?? ''}`);
  return c;
}
