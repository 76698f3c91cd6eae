// Every capability's mail templates in one table (OPS-3, OPS-5), assembled at the composition root
// so that src/platform/ (the renderer and the outbox) imports no capability. Capabilities send mail
// through `enqueueMail` here: the template is rendered and written to the outbox in the caller's
// transaction.
import type { Db } from './db/index.ts';
import type { Lang } from './platform/web/messages.ts';
import { withHtml, type MailTemplateTable, type RenderedMail } from './platform/mail-render.ts';
import { enqueueRenderedMail } from './platform/outbox.ts';
import { authMailTemplates, type AuthMailTemplates } from './auth/mail.ts';
import { accountMailTemplates, type AccountMailTemplates } from './accounts/mail.ts';
import { adminMailTemplates, type AdminMailTemplates } from './admin/mail.ts';
import { applyMailTemplates, type ApplyMailTemplates } from './requests/apply/mail.ts';
import { requestMailTemplates, type RequestMailTemplates } from './requests/mail.ts';
import { ssoMailTemplates, type SsoMailTemplates } from './sso/mail.ts';
import { inactivityMailTemplates, type InactivityMailTemplates } from './governance/inactivity/mail.ts';
import { reminderMailTemplates, type ReminderMailTemplates } from './governance/reminders/mail.ts';
import { campaignMailTemplates, type CampaignMailTemplates } from './governance/campaigns/mail.ts';
import { incidentMailTemplates, type IncidentMailTemplates } from './incidents/mail.ts';
import { certMailTemplates, type CertMailTemplates } from './auth/cert/mail.ts';

export interface MailTemplates extends AuthMailTemplates, AccountMailTemplates, AdminMailTemplates, ApplyMailTemplates,
  RequestMailTemplates, SsoMailTemplates, InactivityMailTemplates, ReminderMailTemplates, CampaignMailTemplates, IncidentMailTemplates, CertMailTemplates {}
export type TemplateName = keyof MailTemplates;

const templates: MailTemplateTable<MailTemplates> = {
  ...authMailTemplates,
  ...accountMailTemplates,
  ...adminMailTemplates,
  ...applyMailTemplates,
  ...requestMailTemplates,
  ...ssoMailTemplates,
  ...inactivityMailTemplates,
  ...reminderMailTemplates,
  ...campaignMailTemplates,
  ...incidentMailTemplates,
  ...certMailTemplates,
};

export function renderMail<K extends TemplateName>(template: K, lang: Lang, vars: MailTemplates[K]): RenderedMail {
  return withHtml(templates[template][lang](vars), lang);
}

/** Renders the template and writes the mail in the caller's transaction. Returns the row id. */
export async function enqueueMail<K extends TemplateName>(trx: Db, now: Date, m: {
  to: string; template: K; lang: Lang; vars: MailTemplates[K];
}): Promise<number> {
  return enqueueRenderedMail(trx, now, { to: m.to, ...renderMail(m.template, m.lang, m.vars) });
}
