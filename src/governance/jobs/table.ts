// The platform's scheduled jobs (issue 14), one table, assembled here in governance so that
// src/platform/ imports no capability. Each job is named `area.what` and is safe to run again (its
// own rows are claimed or recorded once), since a run whose instance died is run again by another.
import { HOUR, MINUTE } from '../../platform/clock.ts';
import { runDueRequests } from '../../requests/decisions.ts';
import { sweepInactivity } from '../inactivity/service.ts';
import { announceSteps, remindPasswords, sendDigests } from '../reminders/service.ts';
import { generateDue } from '../campaigns/definitions.ts';
import { remindAndEscalate } from '../campaigns/reminders.ts';
import { endLapsedOpSessions } from '../../sso/logout.ts';
import { refreshCrls } from '../../auth/cert/crl-refresh.ts';
import { remindCertificates } from '../../auth/cert/reminders.ts';
import { escalateOverdue } from '../../incidents/escalation.ts';
import { remindContacts } from '../../incidents/contacts.ts';
import { instanceName, type JobDef } from './scheduler.ts';
import { executeSigned } from '../campaigns/execute.ts';

export const JOBS: readonly JobDef[] = [
  // REQ-6: approved requests whose effective date has come are carried out (Taipei calendar day).
  { name: 'requests.due', every: { everyMs: 10 * MINUTE }, run: async (deps) => ({ ...await runDueRequests(deps) }) },
  // GOV-2: notices N days before, and automatic disabling where the policy says so; at night, Taipei time.
  { name: 'inactivity.sweep', every: { dailyAt: '03:00' }, leaseMs: 30 * MINUTE, run: async (deps) => ({ ...await sweepInactivity(deps) }) },
  // AUTH-8: CRLs of the trusted issuers, fetched and verified before their nextUpdate; sign-in reads only the table.
  { name: 'cert.crl.refresh', every: { everyMs: 60 * MINUTE }, leaseMs: 30 * MINUTE, run: async (deps) => ({ ...await refreshCrls(deps) }) },
  // SSO-2 (issue 13): provider sessions whose Tessera session timed out, or whose account was
  // disabled or deleted, end, and their systems are told by back-channel logout.
  { name: 'sso.sessions', every: { everyMs: MINUTE }, run: async (deps) => ({ ...await endLapsedOpSessions(deps) }) },
  // GOV-3, GOV-5: account-review runs whose scheduled time has come start (each once); reminders
  // before the deadline, escalation of overdue reviews to the parent jurisdiction; every hour.
  { name: 'campaigns.generate', every: { everyMs: HOUR }, leaseMs: 30 * MINUTE, run: async (deps) => ({ ...await generateDue(deps), ...await remindAndEscalate(deps) }) },
  // GOV-3, OPS-7: signed reviews are carried out in batches; a run whose instance died resumes once its lease lapses.
  { name: 'campaigns.execute', every: { everyMs: MINUTE }, leaseMs: 30 * MINUTE, run: async (deps) => ({ ...await executeSigned(deps, instanceName()) }) },
  // GOV-5: reminders through the outbox, each per the subtree's policy (reminder.*).
  { name: 'reminders.password', every: { dailyAt: '08:00' }, run: async (deps) => ({ ...await remindPasswords(deps) }) },
  { name: 'reminders.steps', every: { everyMs: 5 * MINUTE }, run: async (deps) => ({ ...await announceSteps(deps) }) },
  { name: 'reminders.digest', every: { dailyAt: '08:30' }, run: async (deps) => ({ ...await sendDigests(deps) }) },
  { name: 'reminders.certificate', every: { dailyAt: '08:10' }, run: async (deps) => ({ ...await remindCertificates(deps) }) },
  // INC-6: breached incident clocks escalate by mail and SMS, once per breach, within a minute.
  { name: 'incidents.escalate', every: { everyMs: MINUTE }, run: async (deps) => ({ ...await escalateOverdue(deps) }) },
  // INC-1: "confirm your contacts" reminders, once per period per agency; in the morning, Taipei time.
  { name: 'incidents.contactsReminder', every: { dailyAt: '09:00' }, run: async (deps) => ({ ...await remindContacts(deps) }) },
];

export const jobNamed = (name: string): JobDef | undefined => JOBS.find((j) => j.name === name);
