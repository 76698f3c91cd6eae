// INC-1, INC-8: the contacts registry's use cases: an agency's IT chief, security contacts (dedicated
// staff marked), and for a competent authority its CISO and reviewers, each a role grant of the
// incident system held by an account of that agency; missing minimums; "confirm your contacts";
// the periodic reminder (`incidents.contactsReminder`) through the outbox. And the competent
// authority on the organisation tree, set by the central authority.
import type { Db } from '../db/index.ts';
import type { Deps } from '../platform/deps.ts';
import { audit } from '../platform/audit.ts';
import { notFound } from '../platform/http/errors.ts';
import { IncidentError } from './errors.ts';
import { enqueueMail } from '../mail-templates.ts';
import { authorize, type Actor } from '../access/authorize.ts';
import { INCIDENT_ROLE_CODE, incidentRoleOf } from '../access/incident-rules.ts';
import { isValidOid } from '../orgs/oid.ts';
import { taipeiDate } from '../requests/format.ts';
import {
  CONTACT_ROLES, competentAuthorityOf, confirmationDue, confirmationOverdue, lacksDedicated, missingContacts,
  type ContactRole, type MissingContact,
} from './rules.ts';
import { authorityNodes, authoritySettings, orgName, saveAuthoritySettings } from './authority-store.ts';
import { accountOfAgency, addContact, claimReminders, confirm, confirmationOf, contactsOf, removeContact } from './contacts-store.ts';

const CONTACT_CODES = CONTACT_ROLES.map((r) => INCIDENT_ROLE_CODE[r]);

export interface ContactsView {
  agency: { oid: string; name: string };
  isAuthority: boolean;
  authority: { oid: string; name: string } | null;
  contacts: { accountId: number; username: string; name: string; role: ContactRole; dedicated: boolean }[];
  missing: MissingContact[];
  noDedicated: boolean;
  confirmedAt: Date | null;
  confirmDueAt: Date | null;
  confirmOverdue: boolean;
  canManage: boolean;
}

/** The agency's competent authority now (INC-8). */
export async function authorityOf(db: Db, agencyOid: string): Promise<string | null> {
  return competentAuthorityOf(agencyOid, await authorityNodes(db, agencyOid));
}

/** The registry of one agency, for whoever may see its incidents or manage it. */
export async function contactsView(deps: Deps, actor: Actor, agencyOid: string): Promise<ContactsView> {
  if (!isValidOid(agencyOid)) throw notFound();
  const canManage = authorize(actor, 'incident.contacts', { oid: agencyOid });
  if (!canManage && !authorize(actor, 'incident.view', { oid: agencyOid, draft: true })) throw notFound();
  const org = await orgName(deps.db, agencyOid);
  if (!org || org.kind === 'unit') throw notFound();
  const settings = await authoritySettings(deps.db, agencyOid);
  const isAuthority = settings?.is_competent_authority ?? false;
  const authorityOid = await authorityOf(deps.db, agencyOid);
  const authority = authorityOid ? await orgName(deps.db, authorityOid) : undefined;
  const rows = await contactsOf(deps.db, agencyOid, CONTACT_CODES);
  const contacts = rows.map((r) => ({ accountId: r.account_id, username: r.username, name: r.name, role: incidentRoleOf(r.role_code) as ContactRole, dedicated: r.dedicated }));
  const conf = await confirmationOf(deps.db, agencyOid);
  const confirmedAt = conf?.confirmed_at ?? null;
  const period = deps.config.incidents.confirmContactsDays;
  return {
    agency: { oid: org.oid, name: org.name }, isAuthority, authority: authority ? { oid: authority.oid, name: authority.name } : null,
    contacts, missing: missingContacts(contacts, isAuthority), noDedicated: lacksDedicated(contacts),
    confirmedAt, confirmDueAt: confirmationDue(confirmedAt, period), confirmOverdue: confirmationOverdue(confirmedAt, period, deps.clock.now()), canManage,
  };
}

/** Registers an account of the agency in a contact role (a role grant, audited). */
export async function registerContact(deps: Deps, actor: Actor, agencyOid: string, input: { username: string; role: ContactRole; dedicated: boolean }, ip: string | null): Promise<void> {
  if (!isValidOid(agencyOid) || !authorize(actor, 'incident.contacts', { oid: agencyOid })) throw notFound();
  const account = await accountOfAgency(deps.db, agencyOid, input.username);
  if (!account) throw new IncidentError(422, 'incidents.contacts.notInAgency', { username: 'invalid' });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await addContact(trx, account.id, INCIDENT_ROLE_CODE[input.role], input.dedicated, actor.accountId, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.contacts.add', targetType: 'account', targetId: account.id, orgOid: agencyOid, ip, details: { role: input.role, dedicated: input.dedicated } });
  });
}

export async function unregisterContact(deps: Deps, actor: Actor, agencyOid: string, accountId: number, role: ContactRole, ip: string | null): Promise<void> {
  if (!isValidOid(agencyOid) || !authorize(actor, 'incident.contacts', { oid: agencyOid })) throw notFound();
  const held = (await contactsOf(deps.db, agencyOid, [INCIDENT_ROLE_CODE[role]])).some((c) => c.account_id === accountId);
  if (!held) throw notFound();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await removeContact(trx, accountId, INCIDENT_ROLE_CODE[role]);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.contacts.remove', targetType: 'account', targetId: accountId, orgOid: agencyOid, ip, details: { role } });
  });
}

export async function confirmContacts(deps: Deps, actor: Actor, agencyOid: string, ip: string | null): Promise<void> {
  if (!isValidOid(agencyOid) || !authorize(actor, 'incident.contacts', { oid: agencyOid })) throw notFound();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await confirm(trx, agencyOid, actor.accountId, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.contacts.confirm', targetType: 'org', targetId: agencyOid, orgOid: agencyOid, ip });
  });
}

/** The central authority marks a competent authority, or names an agency's explicit one (INC-8). */
export async function setAuthority(deps: Deps, actor: Actor, oid: string, v: { isCompetentAuthority: boolean; explicitAuthority: string | null }, ip: string | null): Promise<void> {
  if (!authorize(actor, 'incident.authority.manage', { oid })) throw notFound();
  if (!isValidOid(oid) || !(await orgName(deps.db, oid))) throw notFound();
  if (v.explicitAuthority !== null && (v.explicitAuthority === oid || !isValidOid(v.explicitAuthority) || !(await orgName(deps.db, v.explicitAuthority)))) {
    throw new IncidentError(422, 'incidents.authority.unknown', { authority: 'invalid' });
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const before = await authoritySettings(trx, oid);
    await saveAuthoritySettings(trx, oid, v, now);
    await audit(trx, now, { actor: actor.accountId, action: 'incident.authority.set', targetType: 'org', targetId: oid, orgOid: oid, ip, details: { before: before ?? null, after: v } });
  });
}

/** The competent-authority form's values, for the central authority only (undefined for everybody else). */
export async function authorityForm(deps: Deps, actor: Actor, oid: string): Promise<{ isAuthority: boolean; explicit: string } | undefined> {
  if (!authorize(actor, 'incident.authority.manage', { oid })) return undefined;
  const s = await authoritySettings(deps.db, oid);
  return { isAuthority: s?.is_competent_authority ?? false, explicit: s?.competent_authority_oid ?? '' };
}

/** The `incidents.contactsReminder` job: agencies whose confirmation has lapsed get one reminder per period. */
export async function remindContacts(deps: Deps): Promise<{ reminded: number }> {
  let reminded = 0;
  for (;;) {
    const now = deps.clock.now();
    const n = await deps.db.transaction().execute(async (trx) => {
      const agencies = await claimReminders(trx, CONTACT_CODES, now, deps.config.incidents.confirmContactsDays, 50);
      for (const oid of agencies) {
        const org = await orgName(trx, oid);
        const conf = await confirmationOf(trx, oid);
        const people = await contactsOf(trx, oid, [INCIDENT_ROLE_CODE.it_chief, INCIDENT_ROLE_CODE.security_contact]);
        for (const p of new Map(people.filter((x) => x.email).map((x) => [x.account_id, x])).values()) {
          await enqueueMail(trx, now, {
            to: p.email!, template: 'incidents.confirmContacts', lang: 'zh-TW',
            vars: { name: p.name, agency: org?.name ?? oid, lastConfirmed: conf?.confirmed_at ? taipeiDate(conf.confirmed_at) : '', url: `${deps.config.baseUrl.replace(/\/$/, '')}/incidents/contacts?agency=${oid}` },
          });
        }
      }
      return agencies.length;
    });
    reminded += n;
    if (n < 50) return { reminded };
  }
}
