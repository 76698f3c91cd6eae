// INC-3, INC-4, INC-6: who is told, and the telling — mail and SMS written to the outbox in the
// caller's transaction: the reviewers when a report arrives, the competent authority's CISO and IT
// chief at once for level 3–4, the configured recipients when a level 3–4 result is forwarded, and
// the escalation roles when a clock is breached.
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { enqueueSms } from '../platform/outbox.ts';
import { formatTime } from '../platform/web/format.ts';
import { enqueueMail } from '../mail-templates.ts';
import { INCIDENT_ROLE_CODE } from '../access/incident-rules.ts';
import type { IncidentRole } from './clocks/index.ts';
import { roleHolders, type Holder } from './store.ts';

export interface IncidentRef { id: number; org_oid: string; authority_oid: string | null; org_name: string; title: string; level: number | null }

const url = (deps: Deps, id: number) => `${deps.config.baseUrl.replace(/\/$/, '')}/incidents/${id}`;

/** The holders of a clock role for this incident (INC-8); a missing competent authority falls to the technical centre. */
export async function holdersOf(trx: Db, i: IncidentRef, role: IncidentRole): Promise<Holder[]> {
  switch (role) {
    case 'security_contact': return roleHolders(trx, [INCIDENT_ROLE_CODE.security_contact], i.org_oid);
    case 'competent_authority': return i.authority_oid ? roleHolders(trx, [INCIDENT_ROLE_CODE.reviewer], i.authority_oid) : roleHolders(trx, [INCIDENT_ROLE_CODE.centre_analyst], null);
    case 'ciso': return i.authority_oid ? roleHolders(trx, [INCIDENT_ROLE_CODE.ciso], i.authority_oid) : [];
    case 'it_chief': return i.authority_oid ? roleHolders(trx, [INCIDENT_ROLE_CODE.it_chief], i.authority_oid) : [];
    case 'technical_centre': return roleHolders(trx, [INCIDENT_ROLE_CODE.centre_analyst], null);
    case 'national_office': return roleHolders(trx, [INCIDENT_ROLE_CODE.national_office], null);
  }
}

const unique = (hs: Holder[]) => [...new Map(hs.map((h) => [h.account_id, h])).values()];

/** New report: the competent authority's reviewers (or the centre) by mail. Returns how many. */
export async function tellReviewers(deps: Deps, trx: Db, i: IncidentRef, dueAt: Date | null, now: Date): Promise<number> {
  const people = unique(await holdersOf(trx, i, 'competent_authority')).filter((h) => h.email);
  for (const p of people) {
    await enqueueMail(trx, now, { to: p.email!, template: 'incidents.reported', lang: 'zh-TW',
      vars: { agency: i.org_name, level: i.level ?? 0, title: i.title, dueAt: dueAt ? formatTime(dueAt, 'zh-TW') : '', url: url(deps, i.id) } });
  }
  return people.length;
}

/** Level 3–4 (INC-4): the competent authority's CISO and IT chief, mail AND SMS, at once. */
export async function tellMajor(deps: Deps, trx: Db, i: IncidentRef, awareAt: Date | null, now: Date): Promise<{ mails: number; sms: number }> {
  const people = unique([...await holdersOf(trx, i, 'ciso'), ...await holdersOf(trx, i, 'it_chief')]);
  let mails = 0, sms = 0;
  for (const p of people) {
    if (p.email) {
      await enqueueMail(trx, now, { to: p.email, template: 'incidents.major', lang: 'zh-TW',
        vars: { agency: i.org_name, level: i.level ?? 0, title: i.title, awareAt: awareAt ? formatTime(awareAt, 'zh-TW') : '', url: url(deps, i.id) } });
      mails++;
    }
    if (p.mobile) {
      await enqueueSms(trx, now, { to: p.mobile, text: `【${i.level}級資安事件】${i.org_name}：${i.title.slice(0, 40)}，請立即處理 ${url(deps, i.id)}` });
      sms++;
    }
  }
  return { mails, sms };
}

/** Level 3–4 review result forwarded (INC-3): configured addresses and the national office. */
export async function forwardMajor(deps: Deps, trx: Db, i: IncidentRef, now: Date): Promise<number> {
  const office = (await holdersOf(trx, i, 'national_office')).map((h) => h.email).filter((e): e is string => !!e);
  const to = [...new Set([...deps.config.incidents.forwardTo, ...office])];
  for (const addr of to) {
    await enqueueMail(trx, now, { to: addr, template: 'incidents.forward', lang: 'zh-TW',
      vars: { agency: i.org_name, level: i.level ?? 0, title: i.title, reviewedAt: formatTime(now, 'zh-TW'), url: url(deps, i.id) } });
  }
  return to.length;
}

/** A breached clock (INC-6): its escalation roles, mail and SMS. Returns how many people. */
export async function tellEscalation(deps: Deps, trx: Db, i: IncidentRef, roles: IncidentRole[], clock: { label: string; dueAt: Date }, now: Date): Promise<number> {
  const people = unique((await Promise.all(roles.map((r) => holdersOf(trx, i, r)))).flat());
  const level = i.level ? `${i.level}級` : '';
  for (const p of people) {
    if (p.email) {
      await enqueueMail(trx, now, { to: p.email, template: 'incidents.escalation', lang: 'zh-TW',
        vars: { agency: i.org_name, level, title: i.title, clock: clock.label, dueAt: formatTime(clock.dueAt, 'zh-TW'), url: url(deps, i.id) } });
    }
    if (p.mobile) await enqueueSms(trx, now, { to: p.mobile, text: `【逾時】${i.org_name}資安事件「${clock.label}」已逾期，請處理 ${url(deps, i.id)}` });
  }
  return people.length;
}
