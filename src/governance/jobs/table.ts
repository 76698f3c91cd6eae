// The platform's scheduled jobs (issue 14), one table, assembled here in governance so that
// src/platform/ imports no capability. Each job is named `area.what` and is safe to run again (its
// own rows are claimed or recorded once), since a run whose instance died is run again by another.
import { MINUTE } from '../../platform/clock.ts';
import { runDueRequests } from '../../requests/decisions.ts';
import { sweepInactivity } from '../inactivity/service.ts';
import { escalateOverdue } from '../../incidents/escalation.ts';
import { remindContacts } from '../../incidents/contacts.ts';
import type { JobDef } from './scheduler.ts';

export const JOBS: readonly JobDef[] = [
  // REQ-6: approved requests whose effective date has come are carried out (Taipei calendar day).
  { name: 'requests.due', every: { everyMs: 10 * MINUTE }, run: async (deps) => ({ ...await runDueRequests(deps) }) },
  // GOV-2: notices N days before, and automatic disabling where the policy says so; at night, Taipei time.
  { name: 'inactivity.sweep', every: { dailyAt: '03:00' }, leaseMs: 30 * MINUTE, run: async (deps) => ({ ...await sweepInactivity(deps) }) },
  // INC-6: breached incident clocks escalate by mail and SMS, once per breach, within a minute.
  { name: 'incidents.escalate', every: { everyMs: MINUTE }, run: async (deps) => ({ ...await escalateOverdue(deps) }) },
  // INC-1: "confirm your contacts" reminders, once per period per agency; in the morning, Taipei time.
  { name: 'incidents.contactsReminder', every: { dailyAt: '09:00' }, run: async (deps) => ({ ...await remindContacts(deps) }) },
];

export const jobNamed = (name: string): JobDef | undefined => JOBS.find((j) => j.name === name);
